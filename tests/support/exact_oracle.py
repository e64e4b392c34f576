"""Exact eigenvalue oracle for the CLI tests (rationals only, no floating point): Sylvester's law
of inertia read through Gaussian elimination on Fractions. The C++ suites use tests/support/exact.hpp."""
from fractions import Fraction


def positive_definite(m):
    """True iff the symmetric rational matrix m is positive definite (every pivot > 0)."""
    m = [list(r) for r in m]
    for k in range(len(m)):
        if m[k][k] <= 0:
            return False
        for i in range(k + 1, len(m)):
            f = m[i][k] / m[k][k]
            for c in range(k, len(m)):
                m[i][c] -= f * m[k][c]
    return True


def positive_semidefinite(m):
    """True iff the symmetric rational matrix m is positive semidefinite: a zero pivot of a PSD
    matrix has a zero row below it (a 2x2 principal minor would otherwise be negative)."""
    m = [list(r) for r in m]
    for k in range(len(m)):
        if m[k][k] < 0:
            return False
        if m[k][k] == 0:
            if any(m[i][k] != 0 for i in range(k + 1, len(m))):
                return False
            continue
        for i in range(k + 1, len(m)):
            f = m[i][k] / m[k][k]
            for c in range(k, len(m)):
                m[i][c] -= f * m[k][c]
    return True


def shifted(x, a):
    """x I - a, exactly."""
    return [[(x if i == j else 0) - a[i][j] for j in range(len(a))] for i in range(len(a))]


def encloses(lo, hi, a):
    """True iff lo <= lambda_max(a) <= hi, decided exactly: lambda_max >= lo iff lo I - a is not
    positive definite; lambda_max <= hi iff hi I - a is positive semidefinite."""
    lo, hi = Fraction(lo), Fraction(hi)
    return not positive_definite(shifted(lo, a)) and positive_semidefinite(shifted(hi, a))
