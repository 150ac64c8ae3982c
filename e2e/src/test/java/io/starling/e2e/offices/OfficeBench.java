package io.starling.e2e.offices;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/**
 * {@code e2e/bench.sh}: one distribution benchmark on simulated offices. Progress goes to standard
 * error; standard output gets the table and, as its last line, the JSON object. Exit codes: 0 done,
 * 1 the run failed, 2 bad options or a machine that cannot run it.
 */
public final class OfficeBench {

    /** The line of docs/benchmarks-history.md that new runs go below; e2e/bench/lib/record.sh uses it too. */
    static final String HISTORY_MARKER = "<!-- bench: new runs go below this line, newest first -->";

    private OfficeBench() {
    }

    public static void main(String[] args) {
        Path repo = Path.of(System.getProperty("starling.repo", ".")).toAbsolutePath().normalize();
        BenchOptions options;
        try {
            options = BenchOptions.parse(List.of(args), repo.resolve("docs/benchmarks-history.md"));
        } catch (BenchOptions.BadOption e) {
            boolean help = e.getMessage().equals(BenchOptions.USAGE);
            (help ? System.out : System.err).println(help ? e.getMessage() : "bench: " + e.getMessage());
            System.exit(help ? 0 : 2);
            return;
        }
        try {
            RunResult result = new DistributionRun(repo, options, line -> System.err.println("bench: " + line)).run();
            if (options.record() != null) {
                record(result, options.record());
            }
            System.out.println(BenchReport.table(result));
            System.out.println(BenchReport.json(result));
            System.exit(0);
        } catch (OfficeNetwork.Unavailable e) {
            System.err.println("bench: cannot run here: " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println("bench: the run failed: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Puts the section at the top of docs/benchmarks-history.md (right below {@link #HISTORY_MARKER},
     * newest first), with its chart next to it in docs/bench/. The current result in
     * docs/benchmarks.md is edited by hand, once someone has read the run.
     */
    static void record(RunResult result, Path history) throws IOException {
        String doc = Files.readString(history, StandardCharsets.UTF_8);
        int at = doc.indexOf(HISTORY_MARKER);
        if (at < 0) {
            throw new IOException("no line '" + HISTORY_MARKER + "' in " + history);
        }
        Path dir = Files.createDirectories(history.toAbsolutePath().getParent().resolve("bench"));
        String slug = result.scenario().toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        String chart = "offices-" + slug + "-" + LocalDate.now() + ".png";
        BenchReport.chart(result, dir.resolve(chart));
        int end = at + HISTORY_MARKER.length();
        String section = BenchReport.markdown(result, "bench/" + chart).strip();
        Files.writeString(history, doc.substring(0, end) + "\n\n" + section + doc.substring(end), StandardCharsets.UTF_8);
        System.err.println("bench: recorded at the top of " + history + " and in " + dir.resolve(chart)
                + "; if it is the new current result, put its table into docs/benchmarks.md");
    }
}
