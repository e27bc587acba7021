#include "saving/h5_check_btree.hpp"

#include <string>

namespace keras::saving::h5check {

namespace {

// Trees of real files are a few levels deep; a level byte may say 255.
constexpr int kMaxLevel = 32;

}  // namespace

// A node: "TREE", type, level, entries used, left and right siblings, then
// 2K + 1 keys and 2K children, alternating.
BtreeWalk::BtreeWalk(const Image& image, Extents& extents, int node_type, std::uint64_t key_size,
                     unsigned k, const char* what)
    : image_(image),
      extents_(extents),
      node_type_(node_type),
      max_entries_(2 * std::uint64_t{k}),
      what_(what) {
  const auto O = static_cast<std::uint64_t>(image.offsets);
  node_size_ = 8 + 2 * O + max_entries_ * O + (max_entries_ + 1) * key_size;
}

BtreeWalk::Node BtreeWalk::open(std::uint64_t address, int expected_level) {
  const std::uint64_t at = image_.locate(address, node_size_, what_);
  extents_.claim(at, node_size_, what_);
  Cursor cursor(image_, at, at + node_size_, what_);
  if (cursor.take(4) != "TREE") cursor.damaged("does not start with TREE");
  const int type = cursor.u8();
  if (type != node_type_) cursor.damaged("has node type " + std::to_string(type));
  const int level = cursor.u8();
  if (level > kMaxLevel || (expected_level >= 0 && level != expected_level)) {
    cursor.damaged("has level " + std::to_string(level) + " below a node of level " +
                   std::to_string(expected_level + 1));
  }
  const std::uint16_t entries = cursor.u16();
  if (entries > max_entries_) {
    cursor.damaged("has " + std::to_string(entries) + " entries, room for " +
                   std::to_string(max_entries_));
  }
  const std::uint64_t left = cursor.address();
  const std::uint64_t right = cursor.address();
  if (levels_.size() <= static_cast<std::size_t>(level)) levels_.resize(level + 1);
  levels_[level].push_back({address, left, right});
  return Node{cursor, level, entries};
}

void BtreeWalk::check_siblings() const {
  for (const std::vector<Links>& level : levels_) {
    for (std::size_t i = 0; i < level.size(); ++i) {
      const std::uint64_t left = i == 0 ? kUndefined : level[i - 1].address;
      const std::uint64_t right = i + 1 == level.size() ? kUndefined : level[i + 1].address;
      if (level[i].left != left || level[i].right != right) {
        image_.damaged(std::string(what_) + " at address " + std::to_string(level[i].address) +
                       " has sibling addresses that do not match its neighbours");
      }
    }
  }
}

}  // namespace keras::saving::h5check
