package io.junction.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.junction.support.JunctionProcess;

/**
 * The console at / in a real headless Chromium (Debian's, driven by playwright-core): it connects,
 * subscribes through its form, and an event posted over HTTP appears on the page. The screenshot is
 * kept as target/console.png.
 */
class BrowserConsoleIT {

    @Test
    void anEventPostedOverHttpAppearsInTheConsole() throws Exception {
        Path screenshot = Path.of("target", "console.png");
        Files.deleteIfExists(screenshot);
        try (JunctionProcess junction = new JunctionProcess("console", Map.of()).start()) {
            assertThat(junction.get("/junction.js").headers().firstValue("content-type")).hasValueSatisfying(
                    type -> assertThat(type).contains("javascript"));
            NodeScript.Result result = NodeScript.run(List.of("node", "scripts/web/console.browser.mjs",
                    junction.http("").toString(), screenshot.toString()), Map.of(), 120);
            assertThat(result.exit()).as("browser test output:%n%s", result.output()).isZero();
            assertThat(screenshot).exists();
        }
    }
}
