/**
 * Browser-side libraries: UI runtimes, client-side state stores and routers, browser-only SDK
 * entries, and mobile runtimes. Depending on a UI runtime (with no server dependency) makes a
 * package a browser package; importing a browser-only module makes a file browser code.
 */
import type { LibraryRecord } from './types';

export const BROWSER_LIBRARIES: readonly LibraryRecord[] = [
  // React itself also renders on servers: depending on it says UI, importing it says nothing
  { id: 'react', label: 'React', modules: ['react'], roles: ['ui'], signal: { dependency: 'ui' } },
  { id: 'react-dom', label: 'React DOM', modules: ['react-dom', 'react-dom/client'], roles: ['ui'], signal: { dependency: 'ui', import: 'browser' } },
  { id: 'vue', label: 'Vue', modules: ['vue'], roles: ['ui'], signal: { dependency: 'ui', import: 'browser' } },
  { id: 'svelte', label: 'Svelte', modules: ['svelte'], roles: ['ui'], signal: { dependency: 'ui', import: 'browser' } },
  { id: 'angular', label: 'Angular', modules: ['@angular/core'], roles: ['ui'], signal: { dependency: 'ui', import: 'browser' } },
  { id: 'solid', label: 'Solid', modules: ['solid-js'], roles: ['ui'], signal: { dependency: 'ui', import: 'browser' } },
  { id: 'preact', label: 'Preact', modules: ['preact', 'preact/hooks'], roles: ['ui'], signal: { dependency: 'ui', import: 'browser' } },
  // Remix route modules import it on the server too
  { id: 'remix-react', label: 'Remix (React)', modules: ['@remix-run/react'], roles: ['ui'], signal: { dependency: 'ui' } },
  // client-side state stores (umami src/store/*.ts: zustand)
  { id: 'zustand', label: 'zustand', modules: ['zustand'], roles: ['state-store'], signal: { import: 'browser' } },
  { id: 'jotai', label: 'jotai', modules: ['jotai'], roles: ['state-store'], signal: { import: 'browser' } },
  { id: 'valtio', label: 'valtio', modules: ['valtio'], roles: ['state-store'], signal: { import: 'browser' } },
  { id: 'react-router-dom', label: 'React Router (DOM)', modules: ['react-router-dom'], roles: ['ui', 'router'], signal: { import: 'browser' } },
  // browser-only SDK entries (papermark lib/files/put-file.ts: @vercel/blob/client)
  { id: 'vercel-blob-client', label: '@vercel/blob/client', modules: ['@vercel/blob/client'], roles: ['browser-sdk'], signal: { import: 'browser' } },
  // mobile runtimes: their files are client code
  { id: 'react-native', label: 'React Native', modules: ['react-native'], roles: ['mobile', 'ui'] },
  { id: 'expo', label: 'Expo', modules: ['expo-*'], roles: ['mobile'], note: 'The expo-* packages (expo-router, expo-secure-store, …).' },
  { id: 'react-navigation', label: 'React Navigation', modules: ['@react-navigation/*'], roles: ['mobile', 'router'] },
];

/** React hooks that only run in a client component (never during a server render). */
export const CLIENT_HOOKS: readonly string[] = ['useEffect', 'useLayoutEffect', 'useState', 'useReducer', 'useCallback', 'useRef', 'useTransition'];
