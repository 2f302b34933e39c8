// nftables and a device's transmit counters in one network namespace, from this process: a
// thread entered into the namespace runs nftables transactions (libnftables) and rtnetlink
// queries (libmnl) there. Written so because a live snapshot's mark must be made while QEMU
// holds a guest stopped, often for less than 50 ms: starting `nft` and `ip` took 5 ms each
// on an idle machine and several times that under load. Calls are serialized, block until done,
// and throw GeniError(kServerError) with nftables' or the kernel's message.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace federa::snapshot {

class NamespaceControl {
 public:
  explicit NamespaceControl(const std::string& netns);  // "" = this process's own
  ~NamespaceControl();
  NamespaceControl(const NamespaceControl&) = delete;
  NamespaceControl& operator=(const NamespaceControl&) = delete;

  // One nftables transaction (the syntax of `nft -f`); returns what nft printed (for a list).
  std::string nft(const std::string& script);
  // The frames `device` counts as transmitted or dropped. A tap counts a frame as transmitted
  // when its reader (QEMU) takes it from the tap's queue, not when the queue takes it.
  std::uint64_t frames_gone(const std::string& device);

 private:
  struct State;
  void run(const std::function<void(State&)>& work);

  std::string netns_;
  std::unique_ptr<State> state_;
};

}  // namespace federa::snapshot
