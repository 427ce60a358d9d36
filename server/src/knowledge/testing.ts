/**
 * Testing: runners (and the packages that select them), TypeScript loaders for node:test, HTTP
 * mocks, HTTP test clients, framework test modules, and browser automation.
 */
import type { LibraryRecord } from './types';

export const TESTING: readonly LibraryRecord[] = [
  // runners, in the order a project's runner is chosen when it has several (and its test script names none)
  { id: 'vitest', label: 'Vitest', modules: ['vitest'], roles: ['test-runner'], testing: { runner: 'vitest', mockApi: 'vi' } },
  { id: 'jest', label: 'Jest', modules: ['jest'], roles: ['test-runner'], testing: { runner: 'jest', mockApi: 'jest' } },
  { id: 'ts-jest', label: 'ts-jest', modules: ['ts-jest'], roles: ['test-loader'], testing: { runner: 'jest' } },
  { id: 'mocha', label: 'Mocha', modules: ['mocha'], roles: ['test-runner'], testing: { runner: 'mocha' } },
  { id: 'node-test', label: 'node:test', modules: ['node:test'], roles: ['test-runner'], testing: { runner: 'node:test' } },
  { id: 'node-assert', label: 'node:assert', modules: ['node:assert', 'node:assert/strict'], roles: ['assertion'] },
  // what node:test runs TypeScript tests through
  { id: 'tsx', label: 'tsx', modules: ['tsx'], roles: ['test-loader'] },
  { id: 'ts-node', label: 'ts-node', modules: ['ts-node'], roles: ['test-loader'] },
  { id: 'swc-node', label: '@swc-node/register', modules: ['@swc-node/register'], roles: ['test-loader'] },
  // HTTP mocks (undici's MockAgent is on the undici record)
  { id: 'nock', label: 'nock', modules: ['nock'], roles: ['http-mock'], testing: { httpMock: { entry: 'nock', mocksFetchFrom: 14 } } },
  { id: 'msw', label: 'Mock Service Worker', modules: ['msw', 'msw/node'], roles: ['http-mock'], testing: { httpMock: { entry: 'msw', serverEntry: 'msw/node' } } },
  { id: 'supertest', label: 'supertest', modules: ['supertest'], roles: ['http-test-client'], testing: { types: '@types/supertest' } },
  { id: 'nestjs-testing', label: '@nestjs/testing', modules: ['@nestjs/testing'], roles: ['test-module'] },
  // browser automation: a page interaction that fails is the page's answer, not a dependency outage
  { id: 'playwright', label: 'Playwright', modules: ['playwright', 'playwright-core', '@playwright/test'], roles: ['browser-automation'] },
  { id: 'puppeteer', label: 'Puppeteer', modules: ['puppeteer', 'puppeteer-core'], roles: ['browser-automation'] },
  { id: 'patchright', label: 'Patchright', modules: ['patchright'], roles: ['browser-automation'] },
  { id: 'rebrowser-playwright', label: 'rebrowser-playwright', modules: ['rebrowser-playwright'], roles: ['browser-automation'] },
  { id: 'cypress', label: 'Cypress', modules: ['cypress'], roles: ['browser-automation', 'test-runner'] },
];

/** Names of browser-automation objects whose methods interact with a page. */
export const PAGE_OBJECTS = /^(page|frame|mainFrame|currentPage|browser|context|browserContext|locator|element|el|handle|elementHandle|target)$/;
