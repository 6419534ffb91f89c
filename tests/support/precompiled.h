// The third-party and standard headers nearly every test program includes,
// compiled once per build tree into a precompiled header (tests/CMakeLists.txt)
// instead of once per test program: GoogleTest alone costs each test file
// seconds of parsing. Only headers from outside the project belong here, so
// that a test that forgets to include a tls12 header still fails to compile.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <regex>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <variant>
#include <vector>
