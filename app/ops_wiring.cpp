#include "app/ops_wiring.h"

#include "common/log.h"
#include "store/migrations.h"

namespace federa::app {
namespace {

gmoc::AggregateIdentity identity_of(const gmoc::AmOpsConfig& ops, const std::string& urn) {
  gmoc::AggregateIdentity identity;
  identity.id = ops.id;
  identity.urn = urn;
  identity.organization.name = ops.organization;
  identity.organization.primary_contact.email = ops.contact_email;
  return identity;
}

gmoc::AmOpsConfig load(const am::AmConfig& config, store::Store& store) {
  store::migrate(store, gmoc::History::migrations(config.schema_dir));
  return gmoc::load_am_ops_config(config.data_dir / "ops.toml", config.authority, config.data_dir,
                                  {config.certificate, config.private_key});
}

}  // namespace

AmOps::AmOps(const am::AmConfig& config, store::Store& store, std::shared_ptr<federation::InventoryHolder> inventory)
    : ops_config_(load(config, store)),
      source_(store, std::move(inventory), identity_of(ops_config_, config.aggregate_urn())),
      history_(store),
      datastore_(source_, history_, ops_config_.datastore) {}

rpc::HttpHandler AmOps::route(rpc::HttpHandler am_api) {
  return [this, am_api = std::move(am_api)](const rpc::HttpRequest& request) {
    if (auto reply = datastore_.handle(request)) return *reply;
    rpc::HttpReply reply = am_api(request);
    if (reporter_) reporter_->nudge();
    return reply;
  };
}

void AmOps::start(const std::string& am_url) {
  source_.set_am_url(am_url);
  reporter_ = std::make_unique<gmoc::Reporter>(source_, history_, ops_config_.reporter);
  logger("gmoc")->info("event=ops_started id={} push={} collectors={}", ops_config_.id,
                       log_value(ops_config_.reporter.push ? ops_config_.reporter.push->url : "off"),
                       ops_config_.datastore.collectors.size());
}

}  // namespace federa::app
