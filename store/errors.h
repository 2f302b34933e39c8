// The exceptions the store throws. Every store failure is a store::Error; two kinds are distinct so
// a service can act on them:
//   ConflictError  a UNIQUE or PRIMARY KEY constraint refused a row (a slot or tag already held):
//                  turn it into a clean refusal, never retry it blindly;
//   TransientError the database was busy, a serializable transaction lost a race, a deadlock was
//                  broken or the connection dropped. Store::transaction retries these itself and
//                  callers only see one after the bounded retries are exhausted.
#pragma once

#include <stdexcept>

namespace federa::store {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ConflictError : public Error {
 public:
  using Error::Error;
};

class TransientError : public Error {
 public:
  using Error::Error;
};

}  // namespace federa::store
