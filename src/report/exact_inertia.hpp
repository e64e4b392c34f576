// TEMPORARY: replaced by the oracle moved from tests/oracle once it settles.
#pragma once
#include "../../tests/oracle/inertia.hpp"
