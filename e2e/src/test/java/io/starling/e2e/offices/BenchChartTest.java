package io.starling.e2e.offices;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.ui.Layer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchChartTest {

    @TempDir
    Path dir;

    @Test
    void chartIsA900By500Png() throws Exception {
        Path png = dir.resolve("offices-1x20.png");

        BenchReport.chart(SampleRuns.oneSite(), png);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(image.getHeight()).isEqualTo(500);
    }

    @Test
    void chartReplacesAnOldOneAndLeavesNoTemporaryFileBehind() throws Exception {
        Path png = dir.resolve("offices.png");
        Files.writeString(png, "an old, broken chart");

        BenchReport.chart(SampleRuns.twoAgentsMissingNoHttp(), png);

        assertThat(ImageIO.read(png.toFile())).isNotNull();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(png);
        }
    }

    @Test
    void chartCountsSecondsOnItsXAxisNotClockTime() {
        var plot = CdfChart.build(SampleRuns.oneSite()).getXYPlot();

        assertThat(plot.getDomainAxis()).isInstanceOf(NumberAxis.class);
        assertThat(plot.getDomainAxis().getUpperBound()).isGreaterThanOrEqualTo(195.0);
        assertThat(plot.getDomainMarkers(Layer.FOREGROUND)).hasSize(1);
    }

    @Test
    void cdfCountsUnfinishedAgentsSoItStaysBelowOne() {
        var steps = CdfChart.steps("Starling", SampleRuns.seconds(18, 20, 1), 20);

        assertThat(steps.getX(0).doubleValue()).isZero();
        assertThat(steps.getY(0).doubleValue()).isZero();
        assertThat(steps.getMaxY()).isEqualTo(0.9);
    }
}
