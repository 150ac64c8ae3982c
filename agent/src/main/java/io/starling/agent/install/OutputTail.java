package io.starling.agent.install;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last lines of a command's output, in bounded memory whatever the command prints: at most
 * {@code maxLines} lines of at most {@code maxLineLength} characters (a longer line is cut and
 * marked with {@value #CUT}). Thread-safe: one thread reads, another takes {@link #lines()}.
 */
final class OutputTail {

    static final String CUT = " [...]";

    private final int maxLines;
    private final int maxLineLength;
    private final Deque<String> lines = new ArrayDeque<>();
    private final StringBuilder current = new StringBuilder();
    private boolean currentCut;

    OutputTail(int maxLines, int maxLineLength) {
        this.maxLines = maxLines;
        this.maxLineLength = maxLineLength;
    }

    /** Reads {@code in} to its end (undecodable bytes become U+FFFD). */
    void consume(InputStream in) {
        char[] buffer = new char[8192];
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            int n;
            while ((n = reader.read(buffer)) >= 0) {
                append(buffer, n);
            }
        } catch (IOException e) {
            // The process went away, or the stream was closed under us: keep what we have.
        }
        synchronized (this) {
            if (current.length() > 0 || currentCut) {
                endLine();
            }
        }
    }

    /** The lines so far, oldest first, including a line still being written. */
    synchronized List<String> lines() {
        List<String> copy = new ArrayList<>(lines);
        if (current.length() > 0) {
            copy.add(current + (currentCut ? CUT : ""));
            if (copy.size() > maxLines) {
                copy.remove(0);
            }
        }
        return copy;
    }

    private synchronized void append(char[] chars, int length) {
        for (int i = 0; i < length; i++) {
            char c = chars[i];
            if (c == '\n') {
                endLine();
            } else if (current.length() < maxLineLength) {
                current.append(c);
            } else {
                currentCut = true;
            }
        }
    }

    private void endLine() {
        int end = current.length();
        if (end > 0 && current.charAt(end - 1) == '\r') {
            current.setLength(end - 1);
        }
        lines.addLast(current + (currentCut ? CUT : ""));
        if (lines.size() > maxLines) {
            lines.removeFirst();
        }
        current.setLength(0);
        currentCut = false;
    }
}
