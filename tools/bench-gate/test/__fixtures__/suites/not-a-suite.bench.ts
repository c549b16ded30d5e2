// Exports something that is not a suite.
export default { tasks: [] };
