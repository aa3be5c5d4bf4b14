// Observation wire format: round trip and hostile input.
#include "detect/observe/observation_codec.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace weir::detect {
namespace {

ApiObservation sample() {
  ApiObservation o;
  o.ts_ns = 1234567890123ull;
  o.endpoint_key = 0xfeedfacecafebeefull;
  o.session_key = 42;
  o.latency_us = 999;
  o.status = 404;
  o.port_in = 3;
  o.port_out = 4;
  o.protocol = ApiProtocol::Graphql;
  o.auth = auth_bit(AuthScheme::BearerJwt) | auth_bit(AuthScheme::CookieSession);
  o.request_sensitive = sensitive_bit(SensitiveClass::Email);
  o.response_sensitive = sensitive_bit(SensitiveClass::Pan) | sensitive_bit(SensitiveClass::UsSsn);
  o.custom_detectors = 5;
  o.params_truncated = true;
  o.method.assign("POST");
  o.host.assign("api.example");
  o.path.assign("/graphql");
  o.operation.assign("AddItem");
  o.operation_type.assign("mutation");
  o.request_content_type.assign("application/json");
  o.response_content_type.assign("application/json");
  o.param_count = 2;
  o.params[0].name.assign("variables.id");
  o.params[0].zone = 7;
  o.params[0].type = ValueType::Integer;
  o.params[0].format = ValueFormat::NumericId;
  o.params[0].length = 3;
  o.params[1].name.assign("card");
  o.params[1].side = ParamSide::Response;
  o.params[1].zone = 16;
  o.params[1].sensitive = sensitive_bit(SensitiveClass::Pan);
  o.params[1].length = 16;
  return o;
}

TEST(ObservationCodec, RoundTrip) {
  const ApiObservation o = sample();
  std::vector<uint8_t> buf(max_encoded_observation_size());
  const size_t n = encode(o, buf);
  ASSERT_GT(n, 0u);
  EXPECT_LT(n, 200u);  // texts cost their length only
  ApiObservation d;
  ASSERT_EQ(decode({buf.data(), n}, d), DecodeStatus::Ok);
  EXPECT_EQ(d.ts_ns, o.ts_ns);
  EXPECT_EQ(d.endpoint_key, o.endpoint_key);
  EXPECT_EQ(d.session_key, o.session_key);
  EXPECT_EQ(d.latency_us, o.latency_us);
  EXPECT_EQ(d.status, o.status);
  EXPECT_EQ(d.port_out, o.port_out);
  EXPECT_EQ(d.protocol, o.protocol);
  EXPECT_EQ(d.auth, o.auth);
  EXPECT_EQ(d.response_sensitive, o.response_sensitive);
  EXPECT_EQ(d.custom_detectors, 5u);
  EXPECT_TRUE(d.params_truncated);
  EXPECT_EQ(d.operation.view(), "AddItem");
  EXPECT_EQ(d.response_content_type.view(), "application/json");
  ASSERT_EQ(d.param_count, 2);
  EXPECT_EQ(d.params[0].name.view(), "variables.id");
  EXPECT_EQ(d.params[0].format, ValueFormat::NumericId);
  EXPECT_EQ(d.params[1].side, ParamSide::Response);
  EXPECT_EQ(d.params[1].sensitive, sensitive_bit(SensitiveClass::Pan));
}

TEST(ObservationCodec, FullRecordFitsTheBound) {
  ApiObservation o = sample();
  const std::string big(300, 'x');
  o.host.assign(big);
  o.path.assign(big);
  o.operation.assign(big);
  o.param_count = ApiObservation::kMaxParams;
  for (auto& p : o.params) p.name.assign(big);
  std::vector<uint8_t> buf(max_encoded_observation_size());
  const size_t n = encode(o, buf);
  EXPECT_GT(n, 0u);
  EXPECT_EQ(encode(o, std::span<uint8_t>(buf.data(), n - 1)), 0u);
  ApiObservation d;
  EXPECT_EQ(decode({buf.data(), n}, d), DecodeStatus::Ok);
  EXPECT_EQ(d.param_count, ApiObservation::kMaxParams);
}

TEST(ObservationCodec, RejectsHostileInput) {
  std::vector<uint8_t> buf(max_encoded_observation_size());
  const size_t n = encode(sample(), buf);
  ApiObservation d;
  for (size_t cut = 0; cut < n; ++cut)
    EXPECT_NE(decode({buf.data(), cut}, d), DecodeStatus::Ok) << "cut at " << cut;
  std::vector<uint8_t> bad(buf.begin(), buf.begin() + static_cast<long>(n));
  bad[0] = 'X';
  EXPECT_EQ(decode(bad, d), DecodeStatus::BadMagic);
  bad[0] = 'W';
  bad[2] = 9;
  EXPECT_EQ(decode(bad, d), DecodeStatus::BadVersion);
  bad[2] = kObservationCodecVersion;
  bad.push_back(0);
  EXPECT_EQ(decode(bad, d), DecodeStatus::TrailingBytes);
  // Random bytes never crash and never read out of bounds (run under ASan).
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::vector<uint8_t> junk(buf.begin(), buf.begin() + static_cast<long>(n));
    for (int k = 0; k < 4; ++k) junk[rng() % junk.size()] = static_cast<uint8_t>(rng());
    (void)decode(junk, d);
    EXPECT_LE(d.param_count, ApiObservation::kMaxParams);
  }
}

}  // namespace
}  // namespace weir::detect
