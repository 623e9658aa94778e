#pragma once

namespace fuelsync::cli {

class CliContext;

int runTenantCommand(CliContext &context); // tenant create | list
int runSeedCommand(CliContext &context); // seed --set=NAME
int runSandboxCommand(CliContext &context); // sandbox start | stop | status | destroy
int runEnvCommand(CliContext &context); // env [show] | env set NAME

} // namespace fuelsync::cli
