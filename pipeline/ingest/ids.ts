/** Identifier rules shared by ingest and the new-study scaffold (mirrors defs.schema.json#/$defs/id). */

/** A study, corpus, task, validation set or vocabulary id: never '..', a path or upper case. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,79}$/;

export const ID_RULE = "a lower-case id: letters, digits, '_', '-' and '.', starting with a letter or digit, at most 80 characters";

/**
 * A value `make new-study` left for the contributor to replace: text starting with "TODO" (any case)
 * followed by a non-alphanumeric character, e.g. "TODO: the paper's title" or the id "todo_task".
 */
export const PLACEHOLDER = /^todo(?![a-z0-9])/i;
