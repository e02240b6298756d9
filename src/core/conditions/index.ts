export type { Comparator, Condition, Operand, PathSegment, PlaceholderName } from "./ast.ts";
export { PLACEHOLDERS, usesBody } from "./ast.ts";
export {
  type ConditionInput,
  evaluateCondition,
  evaluateConditions,
  explainCondition,
} from "./evaluate.ts";
export { conditionReasons } from "./evaluate-result.ts";
export { formatConditionError, MAX_CONDITION_LENGTH, type ParseResult, parseCondition } from "./parser.ts";
