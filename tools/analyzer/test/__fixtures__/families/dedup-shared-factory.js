// A factory made for the sharing: it declares the slot and hands out the function that shares the
// run in flight — the factory is the construct.
// expect: response/dedup 4-13 elim 5 "emptied when it settles"
module.exports = (asyncFunction) => {
  let promise = null;

  return (...args) => {
    if (promise == null) {
      promise = asyncFunction(...args).finally(() => (promise = null));
    }
    return promise;
  };
};
