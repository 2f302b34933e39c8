#include "snapshot/parallel.h"

#include <exception>
#include <future>
#include <vector>

namespace federa::snapshot {

void for_each_parallel(std::size_t count, const std::function<void(std::size_t)>& fn) {
  std::vector<std::future<void>> done;
  for (std::size_t i = 0; i < count; ++i) done.push_back(std::async(std::launch::async, fn, i));
  std::exception_ptr first;
  for (auto& f : done) {
    try {
      f.get();
    } catch (...) {
      if (!first) first = std::current_exception();
    }
  }
  if (first) std::rethrow_exception(first);
}

}  // namespace federa::snapshot
