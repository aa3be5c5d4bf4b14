// ApiCall chunk transport: split (dataplane/events/api_call_chunks.h) ->
// ipc::Event -> reassembly (control/api_call_reassembler.h) -> decode, with
// gaps, reordering, duplicates (replay after reconnect) and bad chunks.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "control/api_call_reassembler.h"
#include "dataplane/events/api_call_chunks.h"
#include "detect/observe/observation_codec.h"

namespace weir::ctl {
namespace {

using dp::Event;

// What weir-control receives for one chunk (ids as EventRing stamps them).
struct Wire {
  uint64_t id;
  uint64_t seq;
  uint32_t rule_id;
  std::string text;
};

struct Producer {
  uint32_t boot = 7;
  uint8_t worker = 1;
  uint64_t seq = 0;
  uint32_t record_no = 0;

  std::vector<Wire> record(std::span<const uint8_t> bytes) {
    std::vector<Event> evs(dp::kApiCallMaxChunks);
    const size_t n = dp::split_api_call(bytes, record_no++, evs.data(), evs.size());
    std::vector<Wire> out;
    for (size_t i = 0; i < n; ++i) {
      out.push_back({dp::make_event_id(boot, worker, seq), seq, evs[i].rule_id, std::string(evs[i].text_view())});
      ++seq;
    }
    return out;
  }
  void alert() { ++seq; }  // an alert between records takes a sequence number
};

std::vector<uint8_t> bytes_of(size_t n, uint8_t salt) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i * 31 + salt);
  return v;
}

struct Feed {
  ApiCallReassembler r;
  std::vector<std::vector<uint8_t>> done;
  void operator()(const std::vector<Wire>& chunks) {
    for (const Wire& w : chunks) {
      std::vector<uint8_t> rec;
      if (r.add(w.id, w.seq, w.rule_id, w.text, rec)) done.push_back(rec);
    }
  }
  void one(const Wire& w) { (*this)({w}); }
};

TEST(ApiCallChunks, SizesAndHeader) {
  EXPECT_EQ(dp::kApiCallChunkPayload, 148u);
  EXPECT_EQ(dp::api_call_chunk_count(0), 0u);
  EXPECT_EQ(dp::api_call_chunk_count(1), 1u);
  EXPECT_EQ(dp::api_call_chunk_count(148), 1u);
  EXPECT_EQ(dp::api_call_chunk_count(149), 2u);
  EXPECT_EQ(dp::api_call_chunk_count(350), 3u);
  // The largest observation fits the format.
  EXPECT_GT(dp::api_call_chunk_count(detect::max_encoded_observation_size()), 0u);
  std::vector<Event> evs(2);
  EXPECT_EQ(dp::split_api_call(bytes_of(400, 1), 0, evs.data(), evs.size()), 0u) << "3 chunks do not fit in 2";
}

TEST(ApiCallChunks, RoundTripOfARealObservation) {
  auto obs = std::make_unique<detect::ApiObservation>();
  obs->method.assign("POST");
  obs->host.assign("shop.example");
  obs->path.assign("/api/v1/users/42/orders");
  obs->status = 201;
  obs->latency_us = 1234;
  obs->protocol = detect::ApiProtocol::Rest;
  for (int i = 0; i < 12; ++i) {
    detect::ParamShape& p = obs->params[obs->param_count++];
    p.name.assign("items[].field" + std::to_string(i));
    p.zone = 7;
    p.type = detect::ValueType::Integer;
    p.length = static_cast<uint32_t>(i);
  }
  std::vector<uint8_t> wire(detect::max_encoded_observation_size());
  const size_t n = detect::encode(*obs, wire);
  ASSERT_GT(n, dp::kApiCallChunkPayload);  // several chunks
  wire.resize(n);
  Producer p;
  Feed f;
  f(p.record(wire));
  ASSERT_EQ(f.done.size(), 1u);
  EXPECT_EQ(f.done[0], wire);
  auto back = std::make_unique<detect::ApiObservation>();
  ASSERT_EQ(detect::decode(f.done[0], *back), detect::DecodeStatus::Ok);
  EXPECT_EQ(back->path.view(), "/api/v1/users/42/orders");
  EXPECT_EQ(back->status, 201);
  EXPECT_EQ(back->param_count, 12);
  EXPECT_EQ(f.r.stats().records, 1u);
  EXPECT_EQ(f.r.stats().dropped, 0u);
}

TEST(ApiCallReassembler, ManyRecordsWithAlertsBetween) {
  Producer p;
  Feed f;
  for (size_t len : {1, 147, 148, 149, 300, 444, 445, 4500}) {
    f(p.record(bytes_of(len, static_cast<uint8_t>(len))));
    p.alert();
  }
  ASSERT_EQ(f.done.size(), 8u);
  EXPECT_EQ(f.done[7], bytes_of(4500, static_cast<uint8_t>(4500)));
  EXPECT_EQ(f.r.partial(), 0u);
}

TEST(ApiCallReassembler, MissingChunkDropsOnlyThatRecord) {
  Producer p;
  Feed f;
  auto a = p.record(bytes_of(400, 1));  // 3 chunks
  auto b = p.record(bytes_of(400, 2));
  auto c = p.record(bytes_of(400, 3));
  f(a);
  f.one(b[0]);
  f.one(b[2]);  // b[1] lost (spool full): gap
  f(c);
  ASSERT_EQ(f.done.size(), 2u);
  EXPECT_EQ(f.done[0], bytes_of(400, 1));
  EXPECT_EQ(f.done[1], bytes_of(400, 3));
  EXPECT_EQ(f.r.stats().dropped, 1u);
}

TEST(ApiCallReassembler, LostFirstChunkCountsTheRecordOnce) {
  Producer p;
  Feed f;
  auto a = p.record(bytes_of(600, 1));  // 5 chunks
  auto b = p.record(bytes_of(10, 2));
  for (size_t i = 1; i < a.size(); ++i) f.one(a[i]);
  f(b);
  ASSERT_EQ(f.done.size(), 1u);
  EXPECT_EQ(f.done[0], bytes_of(10, 2));
  EXPECT_EQ(f.r.stats().dropped, 1u);
}

TEST(ApiCallReassembler, OutOfOrderChunksAreDropped) {
  Producer p;
  Feed f;
  auto a = p.record(bytes_of(400, 1));
  f.one(a[0]);
  f.one(a[2]);
  f.one(a[1]);
  EXPECT_TRUE(f.done.empty());
  EXPECT_EQ(f.r.stats().dropped, 1u);
  // The stream goes on with the next record.
  f(p.record(bytes_of(200, 9)));
  ASSERT_EQ(f.done.size(), 1u);
}

TEST(ApiCallReassembler, RecordCutByANewOneIsDropped) {
  Producer p;
  Feed f;
  auto a = p.record(bytes_of(400, 1));
  auto b = p.record(bytes_of(400, 2));
  f.one(a[0]);
  f.one(a[1]);
  f(b);  // a[2] never came
  ASSERT_EQ(f.done.size(), 1u);
  EXPECT_EQ(f.done[0], bytes_of(400, 2));
  EXPECT_EQ(f.r.stats().dropped, 1u);
}

TEST(ApiCallReassembler, SequenceGapInsideARecordIsAGap) {
  // Same record number and indexes, but an event between two chunks:
  // they cannot be of one record (a worker emits a record at once).
  Producer p;
  Feed f;
  auto a = p.record(bytes_of(300, 1));
  a[1].seq += 1;
  f(a);
  EXPECT_TRUE(f.done.empty());
  EXPECT_EQ(f.r.stats().dropped, 1u);
}

TEST(ApiCallReassembler, ReplayAfterReconnectIsIngestedOnce) {
  Producer p;
  Feed f;
  auto a = p.record(bytes_of(400, 1));
  auto b = p.record(bytes_of(400, 2));
  f(a);
  f.one(b[0]);
  // The link dropped before the ack: the dataplane resends from a[0].
  f(a);
  f(b);
  ASSERT_EQ(f.done.size(), 2u);
  EXPECT_EQ(f.done[1], bytes_of(400, 2));
  EXPECT_EQ(f.r.stats().dropped, 0u);
  EXPECT_EQ(f.r.stats().duplicates, 4u);  // a[0..2] and b[0]
}

TEST(ApiCallReassembler, WorkersAndBootsAreSeparateStreams) {
  Producer w0, w1, restarted;
  w1.worker = 2;
  restarted.boot = 8;
  Feed f;
  auto a = w0.record(bytes_of(400, 1));
  auto b = w1.record(bytes_of(400, 2));
  auto c = restarted.record(bytes_of(400, 3));  // sequences start at 0 again
  for (size_t i = 0; i < 3; ++i) {
    f.one(a[i]);
    f.one(b[i]);
    f.one(c[i]);
  }
  ASSERT_EQ(f.done.size(), 3u);
  EXPECT_EQ(f.r.stats().duplicates, 0u);
}

TEST(ApiCallReassembler, BadChunksAreCountedNotTrusted) {
  Feed f;
  std::vector<uint8_t> rec;
  EXPECT_FALSE(f.r.add(1, 0, 0, "", rec));
  EXPECT_FALSE(f.r.add(1, 1, 0, std::string("\x02\x02\x0a\x00xxxxxxxxxx", 14), rec));  // index >= count
  EXPECT_FALSE(f.r.add(1, 2, 0, std::string("\x00\x05\x0a\x00xxxxxxxxxx", 14), rec));  // 10 bytes in 5 chunks
  EXPECT_FALSE(f.r.add(1, 3, 0, std::string("\x00\x01\x0a\x00xxxx", 8), rec));         // short payload
  EXPECT_EQ(f.r.stats().bad_chunks, 4u);
  EXPECT_TRUE(f.r.add(1, 4, 0, std::string("\x00\x01\x0a\x00xxxxxxxxxx", 14), rec));
  EXPECT_EQ(rec.size(), 10u);
}

}  // namespace
}  // namespace weir::ctl
