// Field keys shared by the fixtures' classes.
// expect: none
export const kContext = Symbol("context");
export const kCompiled = Symbol("compiled");
