package io.starling.e2e.offices;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.List;

/**
 * {@code e2e/bench.sh}: one distribution benchmark on simulated offices. Progress goes to standard
 * error; standard output gets the table and, as its last line, the JSON object. Exit codes: 0 done,
 * 1 the run failed, 2 bad options or a machine that cannot run it.
 */
public final class OfficeBench {

    private OfficeBench() {
    }

    public static void main(String[] args) {
        Path repo = Path.of(System.getProperty("starling.repo", ".")).toAbsolutePath().normalize();
        BenchOptions options;
        try {
            options = BenchOptions.parse(List.of(args), repo.resolve("docs/benchmarks.md"));
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

    /** Appends the section to docs/benchmarks.md, with its chart next to it in docs/bench/. */
    static void record(RunResult result, Path markdown) throws IOException {
        Path dir = Files.createDirectories(markdown.toAbsolutePath().getParent().resolve("bench"));
        String slug = result.scenario().toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        String chart = "offices-" + slug + "-" + LocalDate.now() + ".png";
        BenchReport.chart(result, dir.resolve(chart));
        Files.writeString(markdown, "\n" + BenchReport.markdown(result, "bench/" + chart) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.err.println("bench: recorded in " + markdown + " and " + dir.resolve(chart));
    }
}
