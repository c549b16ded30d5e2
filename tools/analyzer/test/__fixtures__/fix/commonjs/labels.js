"use strict";

// A CommonJS memo in a `var`, exported through `exports`: the value is a string whatever the key.
var labels = new Map();

exports.label = function (id) {
  if (labels.has(id)) return labels.get(id);
  var text = "#" + String(id).padStart(6, "0");
  labels.set(id, text);
  return text;
};

// Required last (to break a cycle, say): new requires must not go after it, below their use.
const { inspect } = require("node:util");
exports.describeLabel = (id) => inspect(exports.label(id));
