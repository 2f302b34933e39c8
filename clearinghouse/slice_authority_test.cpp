// The slice authority and sliver records over a real store (SQLite, or PostgreSQL under
// ch_pg_test). Slice credentials are checked exactly as an aggregate checks them: with
// trust::Authorizer and the federation's trust roots.
#include "clearinghouse/authorizer.h"
#include "clearinghouse/ch_testing.h"

#include <doctest/doctest.h>

namespace federa::ch::testing {
namespace {

using trust::testing::pki;
using namespace std::chrono_literals;

constexpr std::chrono::hours kDay(24);

// What an aggregate decides for `operation` on the slice, given the member's credential.
GeniCode aggregate_decision(const ChFixture& ch, const IssuedMember& owner, const std::string& slice_urn,
                            const std::string& credential, const std::string& operation) {
  const trust::Authorizer authorizer(pki().roots, nullptr);
  return trust::testing::code_of([&] {
    authorizer.authorize({.caller = trust::load_certificates_pem(owner.certificate_chain_pem),
                          .slice_urn = slice_urn,
                          .operation = operation,
                          .credentials = {{"geni_sfa", "3", credential}},
                          .speaking_for = std::nullopt});
  });
}

TEST_CASE("a member creates a slice and leads it; the name is never reused") {
  ChFixture ch;
  const Member alice = ch.member("alice").member;
  const Timestamp now = now_utc();
  const Slice slice = ch.slices.create_slice(alice, {.name = "demo", .description = "first"}, now);
  CHECK(slice.urn == "urn:publicid:IDN+geni:lab+slice+demo");
  CHECK(slice.expires - now <= 7 * kDay);
  CHECK(slice.expires - now > 7 * kDay - 2s);
  const auto members = ch.slices.members_of(MembershipTable::kSlice, alice, slice.urn);
  REQUIRE(members.size() == 1);
  CHECK(members.front().role == Role::kLead);
  CHECK(ch_code_of([&] { ch.slices.create_slice(alice, {.name = "DEMO"}, now); }) == ChCode::kDuplicate);
  CHECK(ch_code_of([&] { ch.slices.create_slice(alice, {.name = "bad name"}, now); }) == ChCode::kArgument);
  CHECK(ch.slices.lookup_slices({"urn:publicid:IDN+geni:lab+slice+Demo"}).front().description == "first");
}

TEST_CASE("slices in projects: members of the project create them, under the project's authority") {
  ChFixture ch({.require_project = true});
  const Member alice = ch.member("alice").member;
  const Member bob = ch.member("bob").member;
  const Timestamp now = now_utc();
  const Project project = ch.slices.create_project({.name = "physics", .lead_urn = alice.urn}, now);
  CHECK(project.urn == "urn:publicid:IDN+geni:lab+project+physics");
  CHECK(ch_code_of([&] { ch.slices.create_project({.name = "physics", .lead_urn = alice.urn}, now); }) ==
        ChCode::kDuplicate);
  CHECK(ch_code_of([&] { ch.slices.create_project({.name = "x", .lead_urn = alice.urn}, now); }) == ChCode::kArgument);
  CHECK(ch_code_of([&] { ch.slices.create_slice(alice, {.name = "noproject"}, now); }) == ChCode::kArgument);
  CHECK(ch_code_of([&] { ch.slices.create_slice(bob, {.name = "s1", .project_urn = project.urn}, now); }) ==
        ChCode::kAuthorization);
  CHECK(ch_code_of([&] {
          ch.slices.create_slice(alice, {.name = "s1", .project_urn = "urn:publicid:IDN+geni:lab+project+none"}, now);
        }) == ChCode::kArgument);
  ch.slices.modify_membership(MembershipTable::kProject, alice, project.urn, {.add = {{bob.urn, Role::kAuditor}}});
  CHECK(ch_code_of([&] { ch.slices.create_slice(bob, {.name = "s1", .project_urn = project.urn}, now); }) ==
        ChCode::kAuthorization);
  ch.slices.modify_membership(MembershipTable::kProject, alice, project.urn, {.change = {{bob.urn, Role::kMember}}});
  const Slice slice = ch.slices.create_slice(bob, {.name = "s1", .project_urn = project.urn}, now);
  CHECK(slice.urn == "urn:publicid:IDN+geni:lab:physics+slice+s1");
  CHECK(slice.project_urn == project.urn);
  const auto projects = ch.slices.memberships_for(MembershipTable::kProject, bob, bob.urn);
  REQUIRE(projects.size() == 1);
  CHECK(projects.front().role == Role::kMember);
}

TEST_CASE("expirations stay within policy: never past max_lifetime, never shortened") {
  ChFixture ch({.default_lifetime = 2 * kDay, .max_lifetime = 10 * kDay});
  const Member alice = ch.member("alice").member;
  const Timestamp now = now_utc();
  CHECK(ch_code_of([&] { ch.slices.create_slice(alice, {.name = "long", .expires = now + 11 * kDay}, now); }) ==
        ChCode::kArgument);
  CHECK(ch_code_of([&] { ch.slices.create_slice(alice, {.name = "past", .expires = now - 1h}, now); }) ==
        ChCode::kArgument);
  const Slice slice = ch.slices.create_slice(alice, {.name = "demo"}, now);
  const Slice renewed = ch.slices.update_slice(alice, slice.urn, {.expires = now + 9 * kDay}, now);
  CHECK(renewed.expires > slice.expires);
  CHECK(ch.slices.lookup_slices({slice.urn}).front().expires == renewed.expires);
  CHECK(ch_code_of([&] { ch.slices.update_slice(alice, slice.urn, {.expires = now + 11 * kDay}, now); }) ==
        ChCode::kArgument);
  CHECK(ch_code_of([&] { ch.slices.update_slice(alice, slice.urn, {.expires = now + 3 * kDay}, now); }) ==
        ChCode::kArgument);
  const Timestamp later = now + 8 * kDay;
  CHECK(ch.slices.update_slice(alice, slice.urn, {.expires = later + 9 * kDay}, later).expires > renewed.expires);
  CHECK(ch_code_of([&] { ch.slices.update_slice(alice, slice.urn, {.description = "x"}, now + 30 * kDay); }) ==
        ChCode::kArgument);
}

TEST_CASE("a slice credential is what an aggregate accepts, with privileges by role") {
  ChFixture ch;
  const IssuedMember alice = ch.member("alice");
  const IssuedMember bob = ch.member("bob");
  const IssuedMember carol = ch.member("carol");
  const Timestamp now = now_utc();
  const Slice slice = ch.slices.create_slice(alice.member, {.name = "demo"}, now);
  const std::string credential = ch.slices.slice_credential(alice.member, slice.urn, now);
  CHECK(aggregate_decision(ch, alice, slice.urn, credential, "createsliver") == GeniCode::kSuccess);
  CHECK(aggregate_decision(ch, alice, slice.urn, credential, "deleteslice") == GeniCode::kSuccess);
  CHECK(aggregate_decision(ch, bob, slice.urn, credential, "createsliver") == GeniCode::kCredentialMismatch);
  CHECK(aggregate_decision(ch, alice, "urn:publicid:IDN+geni:lab+slice+other", credential, "createsliver") ==
        GeniCode::kCredentialMismatch);
  const auto parsed = trust::SignedCredential::parse(credential);
  CHECK(parsed.credential().expires == slice.expires);

  CHECK(ch_code_of([&] { ch.slices.slice_credential(bob.member, slice.urn, now); }) == ChCode::kAuthorization);
  ch.slices.modify_membership(MembershipTable::kSlice, alice.member, slice.urn,
                              {.add = {{bob.member.urn, Role::kMember}, {carol.member.urn, Role::kAuditor}}});
  CHECK(aggregate_decision(ch, bob, slice.urn, ch.slices.slice_credential(bob.member, slice.urn, now),
                           "createsliver") == GeniCode::kSuccess);
  const std::string audit = ch.slices.slice_credential(carol.member, slice.urn, now);
  CHECK(aggregate_decision(ch, carol, slice.urn, audit, "listnodes") == GeniCode::kSuccess);
  CHECK(aggregate_decision(ch, carol, slice.urn, audit, "createsliver") == GeniCode::kForbidden);
  CHECK(ch_code_of([&] { ch.slices.slice_credential(alice.member, slice.urn, slice.expires + 1s); }) ==
        ChCode::kArgument);
  CHECK(ch_code_of([&] { ch.slices.slice_credential(alice.member, "urn:publicid:IDN+geni:lab+slice+nope", now); }) ==
        ChCode::kArgument);
}

TEST_CASE("membership: leads and admins manage members, one lead hands over, auditors only look") {
  ChFixture ch;
  const Member alice = ch.member("alice").member;
  const Member bob = ch.member("bob").member;
  const Member carol = ch.member("carol").member;
  const Member root = ch.member("root", true).member;
  const Timestamp now = now_utc();
  const Slice slice = ch.slices.create_slice(alice, {.name = "demo"}, now);
  const auto table = MembershipTable::kSlice;
  CHECK(ch_code_of([&] {
          ch.slices.modify_membership(table, bob, slice.urn, {.add = {{bob.urn, Role::kAdmin}}});
        }) == ChCode::kAuthorization);
  ch.slices.modify_membership(table, alice, slice.urn, {.add = {{bob.urn, Role::kMember}}});
  CHECK(ch_code_of([&] {
          ch.slices.modify_membership(table, bob, slice.urn, {.add = {{carol.urn, Role::kMember}}});
        }) == ChCode::kAuthorization);
  CHECK(ch_code_of([&] {
          ch.slices.modify_membership(table, alice, slice.urn, {.add = {{carol.urn, Role::kLead}}});
        }) == ChCode::kArgument);
  CHECK(ch_code_of([&] {
          ch.slices.modify_membership(table, alice, slice.urn, {.add = {{bob.urn, Role::kAdmin}}});
        }) == ChCode::kArgument);
  CHECK(ch_code_of([&] { ch.slices.modify_membership(table, alice, slice.urn, {.remove = {alice.urn}}); }) ==
        ChCode::kArgument);
  ch.slices.modify_membership(table, alice, slice.urn, {.change = {{bob.urn, Role::kAdmin}}});
  CHECK(ch_code_of([&] {
          ch.slices.modify_membership(table, bob, slice.urn, {.change = {{bob.urn, Role::kLead}}});
        }) == ChCode::kAuthorization);
  ch.slices.modify_membership(table, alice, slice.urn, {.change = {{bob.urn, Role::kLead}}});
  CHECK(ch.slices.memberships_for(table, alice, alice.urn).front().role == Role::kAdmin);
  CHECK(ch.slices.memberships_for(table, bob, bob.urn).front().role == Role::kLead);
  ch.slices.modify_membership(table, bob, slice.urn, {.add = {{carol.urn, Role::kAuditor}}});
  CHECK(ch_code_of([&] { ch.slices.update_slice(carol, slice.urn, {.expires = now + 8 * kDay}, now); }) ==
        ChCode::kAuthorization);
  CHECK(ch.slices.members_of(table, carol, slice.urn).size() == 3);
  ch.slices.modify_membership(table, root, slice.urn, {.remove = {carol.urn}});
  CHECK(ch_code_of([&] { ch.slices.members_of(table, carol, slice.urn); }) == ChCode::kAuthorization);
  CHECK(ch_code_of([&] { ch.slices.memberships_for(table, carol, alice.urn); }) == ChCode::kAuthorization);
  CHECK(ch.slices.memberships_for(table, root, alice.urn).size() == 1);
}

TEST_CASE("slivers are reported by slice members or by the aggregate that holds them") {
  ChFixture ch;
  const Member alice = ch.member("alice").member;
  const Member bob = ch.member("bob").member;
  const Slice slice = ch.slices.create_slice(alice, {.name = "demo"}, now_utc());
  const std::string am = "urn:publicid:IDN+geni:lab:site1+authority+am";
  const SliverInfo recorded = ch.slivers.record(
      {alice.urn, alice},
      {.urn = "urn:publicid:IDN+geni:lab:site1+sliver+abc", .slice_urn = slice.urn, .aggregate_urn = am}, now_utc());
  CHECK(recorded.creator_urn == alice.urn);
  CHECK(ch_code_of([&] { ch.slivers.record({alice.urn, alice}, recorded, now_utc()); }) == ChCode::kDuplicate);
  CHECK(ch_code_of([&] {
          ch.slivers.record(
              {bob.urn, bob},
              {.urn = "urn:publicid:IDN+geni:lab:site1+sliver+b", .slice_urn = slice.urn, .aggregate_urn = am},
              now_utc());
        }) == ChCode::kAuthorization);
  ch.slivers.record({am, std::nullopt},
                    {.urn = "urn:publicid:IDN+geni:lab:site1+sliver+def", .slice_urn = slice.urn, .aggregate_urn = am},
                    now_utc());
  CHECK(ch_code_of([&] {
          ch.slivers.record({am, std::nullopt},
                            {.urn = "urn:publicid:IDN+other+sliver+x", .slice_urn = slice.urn, .aggregate_urn = am},
                            now_utc());
        }) == ChCode::kAuthorization);
  const Timestamp expires = std::chrono::time_point_cast<std::chrono::seconds>(now_utc() + kDay);
  ch.slivers.update_expiration({am, std::nullopt}, recorded.urn, expires);
  auto slivers = ch.slivers.lookup(alice, slice.urn);
  REQUIRE(slivers.size() == 2);
  CHECK(slivers.front().expires == expires);
  CHECK(ch_code_of([&] { ch.slivers.lookup(bob, slice.urn); }) == ChCode::kAuthorization);
  ch.slivers.remove({alice.urn, alice}, recorded.urn);
  CHECK(ch.slivers.lookup(alice, slice.urn).size() == 1);
  CHECK(ch_code_of([&] { ch.slivers.remove({alice.urn, alice}, recorded.urn); }) == ChCode::kArgument);
}

}  // namespace
}  // namespace federa::ch::testing
