import type { ValidationError } from 'class-validator';
import type { ValidationIssue } from '../../errors';

/** class-validator's error tree as flat issues with paths such as `toolCalls[0].name`. */
export function flattenValidationErrors(errors: readonly ValidationError[], parent = ''): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const error of errors) {
    const path = joinPath(parent, error.property);
    if (error.constraints !== undefined && Object.keys(error.constraints).length > 0) {
      issues.push({ property: path, constraints: { ...error.constraints } });
    }
    if (error.children !== undefined && error.children.length > 0) {
      issues.push(...flattenValidationErrors(error.children, path));
    }
  }
  return issues;
}

/** `toolCalls` + `0` → `toolCalls[0]`; `toolCalls[0]` + `name` → `toolCalls[0].name`; '' + `x` → `x`. */
export function joinPath(parent: string, property: string): string {
  if (property === '') return parent;
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent === '' ? property : `${parent}.${property}`;
}

/** One issue per property, constraints merged, in first-seen order. */
export function mergeIssues(issues: readonly ValidationIssue[]): ValidationIssue[] {
  const byProperty = new Map<string, Record<string, string>>();
  for (const issue of issues) {
    const constraints = byProperty.get(issue.property) ?? {};
    Object.assign(constraints, issue.constraints);
    byProperty.set(issue.property, constraints);
  }
  return [...byProperty].map(([property, constraints]) => ({ property, constraints }));
}

/** Issues of one element of a list, re-rooted under `messages[3]` (the element itself → `messages[3]`). */
export function prefixIssues(prefix: string, issues: readonly ValidationIssue[]): ValidationIssue[] {
  return issues.map((issue) => ({
    property: issue.property === '' ? prefix : `${prefix}.${issue.property}`,
    constraints: issue.constraints,
  }));
}
