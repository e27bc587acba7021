#include "keras/shape.hpp"

#include "keras/error.hpp"

namespace keras {

namespace {
void check_rank(std::size_t rank) {
  if (rank > static_cast<std::size_t>(Shape::kMaxRank)) {
    throw Error("Shapes of rank " + std::to_string(rank) + " are not supported (at most " +
                std::to_string(Shape::kMaxRank) + ").");
  }
}
void check_dim(std::int64_t d) {
  if (d < 0 && d != None) {
    throw Error("A shape dimension must be >= 0 or None, got " + std::to_string(d) + ".");
  }
}
}  // namespace

Shape::Shape(std::initializer_list<std::int64_t> dims) {
  check_rank(dims.size());
  for (std::int64_t d : dims) {
    check_dim(d);
    dims_[rank_++] = d;
  }
}

Shape::Shape(const std::vector<std::int64_t>& dims) {
  check_rank(dims.size());
  for (std::int64_t d : dims) {
    check_dim(d);
    dims_[rank_++] = d;
  }
}

bool Shape::is_fully_defined() const {
  for (int i = 0; i < rank_; ++i) {
    if (dims_[i] == None) return false;
  }
  return true;
}

std::int64_t Shape::num_elements() const {
  std::int64_t n = 1;
  for (int i = 0; i < rank_; ++i) {
    if (dims_[i] == None) {
      throw Error("Shape " + to_string() + " has an unknown dimension; its size is not defined.");
    }
    n *= dims_[i];
  }
  return n;
}

int Shape::normalize_axis(int axis) const {
  const int a = axis < 0 ? axis + rank_ : axis;
  if (a < 0 || a >= rank_) {
    throw Error("Axis " + std::to_string(axis) + " is out of range for shape " + to_string() +
                " of rank " + std::to_string(rank_) + ".");
  }
  return a;
}

Shape Shape::prepend(std::int64_t dim) const {
  check_rank(rank_ + 1);
  check_dim(dim);
  Shape s;
  s.rank_ = rank_ + 1;
  s.dims_[0] = dim;
  for (int i = 0; i < rank_; ++i) s.dims_[i + 1] = dims_[i];
  return s;
}

Shape Shape::append(std::int64_t dim) const {
  check_rank(rank_ + 1);
  check_dim(dim);
  Shape s = *this;
  s.dims_[s.rank_++] = dim;
  return s;
}

void Shape::push_back(std::int64_t dim) {
  check_rank(rank_ + 1);
  check_dim(dim);
  dims_[rank_++] = dim;
}

Shape Shape::slice(int begin, int end) const {
  if (begin < 0) begin += rank_;
  if (end < 0) end += rank_;
  begin = std::max(0, std::min(begin, rank_));
  end = std::max(begin, std::min(end, rank_));
  Shape s;
  for (int i = begin; i < end; ++i) s.dims_[s.rank_++] = dims_[i];
  return s;
}

Shape Shape::with_dim(int axis, std::int64_t dim) const {
  check_dim(dim);
  Shape s = *this;
  s.dims_[normalize_axis(axis)] = dim;
  return s;
}

Shape Shape::concat(const Shape& other) const {
  check_rank(rank_ + other.rank_);
  Shape s = *this;
  for (int i = 0; i < other.rank_; ++i) s.dims_[s.rank_++] = other.dims_[i];
  return s;
}

std::string Shape::to_string() const {
  std::string out = "(";
  for (int i = 0; i < rank_; ++i) {
    if (i > 0) out += ", ";
    out += dims_[i] == None ? "None" : std::to_string(dims_[i]);
  }
  if (rank_ == 1) out += ",";
  return out + ")";
}

bool operator==(const Shape& a, const Shape& b) {
  if (a.rank_ != b.rank_) return false;
  for (int i = 0; i < a.rank_; ++i) {
    if (a.dims_[i] != b.dims_[i]) return false;
  }
  return true;
}

}  // namespace keras
