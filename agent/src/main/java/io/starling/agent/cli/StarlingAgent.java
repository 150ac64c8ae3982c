package io.starling.agent.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

/** {@code starling-agent}: the workstation agent's command line. */
@TopCommand
@Command(name = "starling-agent", mixinStandardHelpOptions = true, versionProvider = AgentVersion.class,
        description = "Starling agent: enroll this machine once, then run it to receive, verify, install and seed releases.",
        subcommands = {EnrollCommand.class, RunCommand.class, StatusCommand.class, KeysCommand.class})
public class StarlingAgent {
}
