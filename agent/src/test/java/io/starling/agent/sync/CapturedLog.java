package io.starling.agent.sync;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/** The agent's log lines at WARN and above while it is open (tests run with JBoss LogManager, as the agent does). */
public final class CapturedLog extends Handler implements AutoCloseable {

    private final Logger logger = Logger.getLogger("io.starling.agent");
    private final List<String> lines = new CopyOnWriteArrayList<>();

    public CapturedLog() {
        setLevel(Level.WARNING);
        logger.addHandler(this);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            lines.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
