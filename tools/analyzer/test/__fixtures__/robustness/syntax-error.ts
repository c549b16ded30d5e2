// A merge left this file broken.
export const broken = {
  a: 1,
<<<<<<< HEAD
  b: 2,
=======
  b: 3,
>>>>>>> feature
};
