package io.starling.agent.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

/** {@code starling-agent}: the workstation agent's command line. */
@TopCommand
@Command(name = "starling-agent", mixinStandardHelpOptions = true,
        description = "Starling agent: enroll this machine, then run to receive, verify, install and seed releases.",
        subcommands = {})
public class StarlingAgent {
}
