// Byte strings: hex round trips and the constant-time comparison's answers.
#include <gtest/gtest.h>

#include <stdexcept>

#include "crypto/bytes.h"

namespace tls12 {

TEST(Bytes, HexRoundTrip) {
  Bytes b{0x00, 0x01, 0xab, 0xff};
  EXPECT_EQ(to_hex(b), "0001abff");
  EXPECT_EQ(from_hex("0001ABff"), b);
}

TEST(Bytes, HexRejectsOddLengthAndNonDigits) {
  EXPECT_THROW(from_hex("abc"), std::invalid_argument);
  EXPECT_THROW(from_hex("zz"), std::invalid_argument);
}

TEST(Bytes, ConstantTimeEqual) {
  Bytes a{1, 2, 3}, b{1, 2, 3}, c{1, 2, 4}, d{1, 2};
  EXPECT_TRUE(constant_time_equal(a, b));
  EXPECT_FALSE(constant_time_equal(a, c));
  EXPECT_FALSE(constant_time_equal(a, d));
  EXPECT_TRUE(constant_time_equal(Bytes{}, Bytes{}));
}

TEST(Bytes, SecureZeroWipes) {
  Bytes a{1, 2, 3, 4};
  secure_zero(a.data(), a.size());
  EXPECT_EQ(a, (Bytes{0, 0, 0, 0}));
}

}  // namespace tls12
