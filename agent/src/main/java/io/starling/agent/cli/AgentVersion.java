package io.starling.agent.cli;

import io.starling.agent.sync.AgentDaemon;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}. */
public class AgentVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"starling-agent " + AgentDaemon.VERSION};
    }
}
