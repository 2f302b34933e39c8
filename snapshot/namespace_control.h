// nftables and a device's queue counters in one network namespace, from this process: a
// thread entered into the namespace runs nftables transactions (libnftables) and rtnetlink
// queries (libmnl) there. Written so because a live snapshot's mark must be made while QEMU
// holds a guest stopped, often for less than 50 ms: starting `nft`, `ip` and `tc` took 5 ms each
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

  // One nftables transaction (the syntax of `nft -f`).
  void nft(const std::string& script);
  // Frames waiting in `device`'s queue towards its reader: those its root qdisc handed to the
  // device minus those the device counts as transmitted or dropped. A tap counts a frame as
  // transmitted when its reader (QEMU) takes it; a device without a qdisc (veth) has none.
  std::uint64_t frames_waiting(const std::string& device);

 private:
  struct State;
  void run(const std::function<void(State&)>& work);

  std::string netns_;
  std::unique_ptr<State> state_;
};

}  // namespace federa::snapshot
