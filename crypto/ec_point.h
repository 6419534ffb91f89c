// Point addition and doubling on the NIST curves y^2 = x^3 - 3x + b (FIPS
// 186-5 §6, SP 800-186 §3.2.1), for any field type with +, -, * and square():
// P-256 (p256.h) and P-384 (p384.h) both use them.
//
// Points are kept in projective coordinates (X : Y : Z), meaning the affine
// point (X/Z, Y/Z), with the point at infinity as (0 : 1 : 0). These are the
// complete formulas of Renes, Costello and Batina ("Complete addition formulas
// for prime order elliptic curves", EUROCRYPT 2016, Algorithms 4 and 6 for
// a = -3): one sequence of field operations that is right for every pair of
// inputs, doubling and infinity included, so there is no special case whose
// branch would tell an observer which one happened.
#pragma once

namespace tls12::crypto::ec_point {

template <class Fe>
struct ProjectivePoint {
  Fe x, y, z;
};

// Renes-Costello-Batina 2016, Algorithm 4 (complete addition, a = -3): 12
// multiplications, 2 by b. The comments are the paper's lines.
template <class Fe>
ProjectivePoint<Fe> complete_add(const ProjectivePoint<Fe>& p, const ProjectivePoint<Fe>& q, const Fe& b) {
  Fe t0 = p.x * q.x;     // t0 = X1 * X2
  Fe t1 = p.y * q.y;     // t1 = Y1 * Y2
  Fe t2 = p.z * q.z;     // t2 = Z1 * Z2
  Fe t3 = p.x + p.y;     // t3 = X1 + Y1
  Fe t4 = q.x + q.y;     // t4 = X2 + Y2
  t3 = t3 * t4;          // t3 = t3 * t4
  t4 = t0 + t1;          // t4 = t0 + t1
  t3 = t3 - t4;          // t3 = t3 - t4
  t4 = p.y + p.z;        // t4 = Y1 + Z1
  Fe x3 = q.y + q.z;     // X3 = Y2 + Z2
  t4 = t4 * x3;          // t4 = t4 * X3
  x3 = t1 + t2;          // X3 = t1 + t2
  t4 = t4 - x3;          // t4 = t4 - X3
  x3 = p.x + p.z;        // X3 = X1 + Z1
  Fe y3 = q.x + q.z;     // Y3 = X2 + Z2
  x3 = x3 * y3;          // X3 = X3 * Y3
  y3 = t0 + t2;          // Y3 = t0 + t2
  y3 = x3 - y3;          // Y3 = X3 - Y3
  Fe z3 = b * t2;        // Z3 = b * t2
  x3 = y3 - z3;          // X3 = Y3 - Z3
  z3 = x3 + x3;          // Z3 = X3 + X3
  x3 = x3 + z3;          // X3 = X3 + Z3
  z3 = t1 - x3;          // Z3 = t1 - X3
  x3 = t1 + x3;          // X3 = t1 + X3
  y3 = b * y3;           // Y3 = b * Y3
  t1 = t2 + t2;          // t1 = t2 + t2
  t2 = t1 + t2;          // t2 = t1 + t2
  y3 = y3 - t2;          // Y3 = Y3 - t2
  y3 = y3 - t0;          // Y3 = Y3 - t0
  t1 = y3 + y3;          // t1 = Y3 + Y3
  y3 = t1 + y3;          // Y3 = t1 + Y3
  t1 = t0 + t0;          // t1 = t0 + t0
  t0 = t1 + t0;          // t0 = t1 + t0
  t0 = t0 - t2;          // t0 = t0 - t2
  t1 = t4 * y3;          // t1 = t4 * Y3
  t2 = t0 * y3;          // t2 = t0 * Y3
  y3 = x3 * z3;          // Y3 = X3 * Z3
  y3 = y3 + t2;          // Y3 = Y3 + t2
  x3 = t3 * x3;          // X3 = t3 * X3
  x3 = x3 - t1;          // X3 = X3 - t1
  z3 = t4 * z3;          // Z3 = t4 * Z3
  t1 = t3 * t0;          // t1 = t3 * t0
  z3 = z3 + t1;          // Z3 = Z3 + t1
  return {x3, y3, z3};
}

// Renes-Costello-Batina 2016, Algorithm 5 (mixed addition, a = -3): P
// projective, Q = (x2, y2) affine, i.e. Algorithm 4 with Z2 = 1, which saves
// one multiplication (Z1 * Z2) and turns two products into additions: 11
// multiplications, 2 by b. Complete for every P, infinity included, but Q
// cannot be infinity (it has no affine form): the caller handles that case.
template <class Fe>
ProjectivePoint<Fe> complete_mixed_add(const ProjectivePoint<Fe>& p, const Fe& x2, const Fe& y2, const Fe& b) {
  Fe t0 = p.x * x2;      // t0 = X1 * X2
  Fe t1 = p.y * y2;      // t1 = Y1 * Y2
  Fe t3 = x2 + y2;       // t3 = X2 + Y2
  Fe t4 = p.x + p.y;     // t4 = X1 + Y1
  t3 = t3 * t4;          // t3 = t3 * t4
  t4 = t0 + t1;          // t4 = t0 + t1
  t3 = t3 - t4;          // t3 = t3 - t4
  t4 = y2 * p.z;         // t4 = Y2 * Z1
  t4 = t4 + p.y;         // t4 = t4 + Y1
  Fe y3 = x2 * p.z;      // Y3 = X2 * Z1
  y3 = y3 + p.x;         // Y3 = Y3 + X1
  Fe z3 = b * p.z;       // Z3 = b * Z1
  Fe x3 = y3 - z3;       // X3 = Y3 - Z3
  z3 = x3 + x3;          // Z3 = X3 + X3
  x3 = x3 + z3;          // X3 = X3 + Z3
  z3 = t1 - x3;          // Z3 = t1 - X3
  x3 = t1 + x3;          // X3 = t1 + X3
  y3 = b * y3;           // Y3 = b * Y3
  t1 = p.z + p.z;        // t1 = Z1 + Z1
  Fe t2 = t1 + p.z;      // t2 = t1 + Z1
  y3 = y3 - t2;          // Y3 = Y3 - t2
  y3 = y3 - t0;          // Y3 = Y3 - t0
  t1 = y3 + y3;          // t1 = Y3 + Y3
  y3 = t1 + y3;          // Y3 = t1 + Y3
  t1 = t0 + t0;          // t1 = t0 + t0
  t0 = t1 + t0;          // t0 = t1 + t0
  t0 = t0 - t2;          // t0 = t0 - t2
  t1 = t4 * y3;          // t1 = t4 * Y3
  t2 = t0 * y3;          // t2 = t0 * Y3
  y3 = x3 * z3;          // Y3 = X3 * Z3
  y3 = y3 + t2;          // Y3 = Y3 + t2
  x3 = t3 * x3;          // X3 = t3 * X3
  x3 = x3 - t1;          // X3 = X3 - t1
  z3 = t4 * z3;          // Z3 = t4 * Z3
  t1 = t3 * t0;          // t1 = t3 * t0
  z3 = z3 + t1;          // Z3 = Z3 + t1
  return {x3, y3, z3};
}

// Renes-Costello-Batina 2016, Algorithm 6 (exception-free doubling, a = -3):
// 8 multiplications, 3 squarings, 2 by b.
template <class Fe>
ProjectivePoint<Fe> complete_double(const ProjectivePoint<Fe>& p, const Fe& b) {
  Fe t0 = square(p.x);   // t0 = X^2
  Fe t1 = square(p.y);   // t1 = Y^2
  Fe t2 = square(p.z);   // t2 = Z^2
  Fe t3 = p.x * p.y;     // t3 = X * Y
  t3 = t3 + t3;          // t3 = t3 + t3
  Fe z3 = p.x * p.z;     // Z3 = X * Z
  z3 = z3 + z3;          // Z3 = Z3 + Z3
  Fe y3 = b * t2;        // Y3 = b * t2
  y3 = y3 - z3;          // Y3 = Y3 - Z3
  Fe x3 = y3 + y3;       // X3 = Y3 + Y3
  y3 = x3 + y3;          // Y3 = X3 + Y3
  x3 = t1 - y3;          // X3 = t1 - Y3
  y3 = t1 + y3;          // Y3 = t1 + Y3
  y3 = x3 * y3;          // Y3 = X3 * Y3
  x3 = x3 * t3;          // X3 = X3 * t3
  t3 = t2 + t2;          // t3 = t2 + t2
  t2 = t2 + t3;          // t2 = t2 + t3
  z3 = b * z3;           // Z3 = b * Z3
  z3 = z3 - t2;          // Z3 = Z3 - t2
  z3 = z3 - t0;          // Z3 = Z3 - t0
  t3 = z3 + z3;          // t3 = Z3 + Z3
  z3 = z3 + t3;          // Z3 = Z3 + t3
  t3 = t0 + t0;          // t3 = t0 + t0
  t0 = t3 + t0;          // t0 = t3 + t0
  t0 = t0 - t2;          // t0 = t0 - t2
  t0 = t0 * z3;          // t0 = t0 * Z3
  y3 = y3 + t0;          // Y3 = Y3 + t0
  t0 = p.y * p.z;        // t0 = Y * Z
  t0 = t0 + t0;          // t0 = t0 + t0
  z3 = t0 * z3;          // Z3 = t0 * Z3
  x3 = x3 - z3;          // X3 = X3 - Z3
  z3 = t0 * t1;          // Z3 = t0 * t1
  z3 = z3 + z3;          // Z3 = Z3 + Z3
  z3 = z3 + z3;          // Z3 = Z3 + Z3
  return {x3, y3, z3};
}

}  // namespace tls12::crypto::ec_point
