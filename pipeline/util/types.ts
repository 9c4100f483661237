/** `true` exactly when A and B are the same union (of keys): a constant of this type stops compiling when either side changes alone. */
export type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
