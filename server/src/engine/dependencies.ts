/**
 * A project's dependencies as the knowledge lookups read them (for version switches and for
 * picking the installed library of several).
 */
import type { DependencyView } from '../knowledge';
import { dependencyMajor, type ProjectFacts } from './project';

const views = new WeakMap<ProjectFacts, DependencyView>();

export function dependencyView(project: ProjectFacts): DependencyView {
  let v = views.get(project);
  if (!v) {
    v = { has: (name) => project.dependencies.has(name), major: (name) => dependencyMajor(project, name) };
    views.set(project, v);
  }
  return v;
}
