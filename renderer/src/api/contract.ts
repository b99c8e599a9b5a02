// The renderer's one door to the engine's types. The lint rule means to allow
// this import (it exempts analyzers/api/contract), but its negated glob cannot
// re-include a file under an excluded folder, so the exemption is stated here.
// eslint-disable-next-line no-restricted-imports
export * from '../../../analyzers/api/contract';
