// The user-keys extension (ProtoGENI ext/user/1) a manifest uses to say which accounts exist on
// a node and with which SSH keys:
//   <user:services_user login="alice" user_urn="urn:..."><user:public_key>ssh-rsa ...</...>
#pragma once

#include <string>
#include <vector>

namespace federa::rspec {

struct ServicesUser {
  std::string login;
  std::string user_urn;
  std::vector<std::string> public_keys;
};

}  // namespace federa::rspec
