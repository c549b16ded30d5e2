// A duration built step by step: each method adds its input to a field and hands back the
// builder; the fields are the value being built, read once to make it.
// expect: none
function Builder() {
  this._months = 0;
  this._days = 0;
}

Builder.prototype.addMonths = function (months) {
  const value = +months;
  this._validate((Number.MAX_SAFE_INTEGER - this._months) / 1, value);
  this._months += value;
  return this;
};

Builder.prototype.addDays = function (days) {
  const value = +days;
  this._validate((Number.MAX_SAFE_INTEGER - this._days) / 1, value);
  this._days += value;
  return this;
};

Builder.prototype._validate = function (room, value) {
  if (value > room) throw new RangeError(`Expected at most ${room}, got ${value}.`);
};

Builder.prototype.build = function () {
  return { months: this._months, days: this._days };
};

module.exports = { Builder };
