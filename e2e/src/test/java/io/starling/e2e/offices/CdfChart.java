package io.starling.e2e.offices;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The completion-time CDF; see {@link BenchReport#chart}. The flow-level simulator draws its fleet with it too. */
public final class CdfChart {

    static final int WIDTH = 900;
    static final int HEIGHT = 500;

    static {
        // Before anything asks AWT for a display: the benchmark runs on servers that have none.
        System.setProperty("java.awt.headless", "true");
    }

    private CdfChart() {
    }

    static void write(RunResult r, Path png) throws IOException {
        write(build(r), png);
    }

    /** A chart of completion times with no HTTP baseline, for results that are not a {@link RunResult}. */
    public static void write(String scenario, List<Double> seconds, int agents, double boundSeconds, Path png)
            throws IOException {
        write(build(scenario, seconds, List.of(), agents, boundSeconds), png);
    }

    private static void write(JFreeChart chart, Path png) throws IOException {
        Path dir = png.toAbsolutePath().getParent();
        // Same folder, so the rename is atomic and a crash leaves a *.tmp, never a half-written PNG.
        Path tmp = Files.createTempFile(dir, png.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
            }
            // A temp file is private (0600); a chart in docs/ is for everyone who clones the repository.
            try {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: its defaults apply
            }
            try {
                Files.move(tmp, png, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static JFreeChart build(RunResult r) {
        return build(r.scenario(), r.starlingSeconds(), r.httpSeconds(), r.agents(), r.boundSeconds());
    }

    private static JFreeChart build(String scenario, List<Double> starling, List<Double> http, int agents, double bound) {
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(steps("Starling", starling, agents));
        if (!http.isEmpty()) {
            data.addSeries(steps("plain HTTP (baseline)", http, agents));
        }
        // Not createXYStepChart: that one puts a date axis on x, and these are durations.
        JFreeChart chart = ChartFactory.createXYLineChart("Completion time, " + scenario,
                "seconds since the deployment was created", "fraction of agents finished", data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setRenderer(new XYStepRenderer());
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.getRenderer().setSeriesStroke(0, new BasicStroke(2f));
        plot.getRenderer().setSeriesStroke(1, new BasicStroke(2f));
        NumberAxis fraction = (NumberAxis) plot.getRangeAxis();
        fraction.setRange(0, 1.05);
        fraction.setTickUnit(new NumberTickUnit(0.1));
        plot.getDomainAxis().setLowerBound(0);
        ValueMarker marker = new ValueMarker(bound, Color.DARK_GRAY, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        marker.setLabel(String.format(Locale.ROOT, "lower bound %.1f s", bound));
        marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        plot.addDomainMarker(marker);
        // The axis ignores markers when it picks its range; make room so the bound is always visible.
        if (plot.getDomainAxis().getUpperBound() < bound * 1.1) {
            plot.getDomainAxis().setUpperBound(bound * 1.1);
        }
        return chart;
    }

    /**
     * (0, 0), then one step up by 1/agents at each finish time. The denominator is all agents, so a run
     * where some never finished plateaus below 1 instead of pretending to be complete.
     */
    static XYSeries steps(String name, List<Double> seconds, int agents) {
        List<Double> sorted = new ArrayList<>(seconds);
        Collections.sort(sorted);
        XYSeries series = new XYSeries(name, true, true);
        series.add(0, 0);
        for (int i = 0; i < sorted.size(); i++) {
            series.add(sorted.get(i).doubleValue(), (i + 1) / (double) agents);
        }
        return series;
    }
}
