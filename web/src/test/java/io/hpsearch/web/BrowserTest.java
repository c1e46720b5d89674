package io.hpsearch.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hpsearch.cli.Main;
import io.hpsearch.runner.SearchRunner;
import io.hpsearch.space.SpaceParser;
import io.hpsearch.store.RunStatus;
import io.hpsearch.store.Store;
import io.hpsearch.store.Trial;
import io.hpsearch.store.TrialState;
import io.hpsearch.testing.TestPaths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard in a real headless Chromium, used as a person would: browse a finished run, sort, open a trial,
 * launch a run from the page, watch it update and cancel it. Screenshots go to target/screenshots/ for review.
 * CI sets HPSEARCH_REQUIRE_BROWSER=1, so there a missing Chromium fails instead of skipping.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target/screenshots");

    @TempDir
    static Path dir;
    private Store store;
    private Dashboard dashboard;
    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    void start() throws Exception {
        boolean hasBrowser = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (System.getenv("HPSEARCH_REQUIRE_BROWSER") != null) {
            assertTrue(hasBrowser, "install the Debian packages chromium and chromium-driver (.ci/run does)");
        }
        assumeTrue(hasBrowser, "no Chromium and ChromeDriver in /usr/bin");
        Path db = dir.resolve("store/hpsearch");
        StringWriter out = new StringWriter();
        int code = Main.execute(new String[]{"run", TestPaths.REFERENCE_SPACE.toString(), "--data",
                TestPaths.DATA.toString(), "--db", db.toString(), "--max-trials", "4", "--epochs", "3",
                "--train-limit", "2000", "--workers", "2"}, new PrintWriter(out), new PrintWriter(out));
        assertEquals(0, code, out.toString());
        store = Store.open(db);
        dashboard = Dashboard.start(store, TestPaths.dataAccess(),
                2, 1, "127.0.0.1", 0, Optional.empty());

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        // No network beyond loopback here: keep Chromium from reaching out (and failing) at start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        Files.createDirectories(SCREENSHOTS);
    }

    /** A script error or a Content-Security-Policy violation on any page fails the test that caused it. */
    @AfterEach
    void noScriptErrors() {
        List<String> problems = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage)
                .filter(m -> m.contains("Uncaught") || m.contains("Content Security Policy") || m.contains("Refused"))
                .toList();
        assertEquals(List.of(), problems);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (dashboard != null) {
            dashboard.close();
            store.close();
        }
    }

    private void open(String path) {
        browser.get("http://127.0.0.1:" + dashboard.port() + path);
    }

    private WebElement visible(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private void chartDrawn(String id) {
        wait.until(ExpectedConditions.attributeToBe(By.id(id), "data-ready", "true"));
        assertTrue(Integer.parseInt(browser.findElement(By.id(id)).getAttribute("data-points")) > 0, id);
        assertTrue(!browser.findElements(By.cssSelector("#" + id + " canvas")).isEmpty(), id + " has a canvas");
    }

    /** The whole page, not just the window: the window grows to the page's height for the shot. */
    private void screenshot(String name) throws Exception {
        Dimension window = browser.manage().window().getSize();
        long height = (Long) ((JavascriptExecutor) browser).executeScript(
                "return Math.ceil(document.documentElement.scrollHeight);");
        browser.manage().window().setSize(new Dimension(window.getWidth(), (int) Math.min(height + 140, 6000)));
        try {
            File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } finally {
            browser.manage().window().setSize(window);
        }
    }

    private List<Integer> column(String key) {
        List<Integer> values = new ArrayList<>();
        for (WebElement cell : browser.findElements(By.cssSelector("#trials tbody td[data-col='" + key + "']"))) {
            values.add(Integer.parseInt(cell.getText().trim()));
        }
        return values;
    }

    @Test
    @Order(1)
    void theRunsPageListsTheRunAndLeadsToIt() throws Exception {
        open("/");
        WebElement row = visible(By.cssSelector("#runs tbody tr[data-run-id='1']"));
        assertTrue(row.getText().contains("fashion-mlp"), row.getText());
        assertTrue(row.getText().contains("COMPLETED") || row.getText().toLowerCase().contains("completed"));
        screenshot("runs");

        row.findElement(By.cssSelector("a.run-link")).click();
        wait.until(ExpectedConditions.urlMatches(".*/runs/1$"));
        wait.until(ExpectedConditions.textToBe(By.id("run-name"), "fashion-mlp"));
    }

    @Test
    @Order(2)
    void theRunPageRanksSortsChartsAndShowsTheTestResults() throws Exception {
        open("/runs/1");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#trials tbody tr"), 4));
        assertEquals(1, browser.findElements(By.cssSelector("#trials tbody tr.best")).size());

        WebElement units = browser.findElement(By.cssSelector("#trials th[data-sort='units_1']"));
        units.click();
        wait.until(ExpectedConditions.attributeToBe(units, "data-sorted", "asc"));
        List<Integer> ascending = column("units_1");
        List<Integer> expected = new ArrayList<>(ascending);
        expected.sort(Integer::compare);
        assertEquals(expected, ascending);
        units.click();
        wait.until(ExpectedConditions.attributeToBe(units, "data-sorted", "desc"));
        expected.sort((a, b) -> b - a);
        assertEquals(expected, column("units_1"));

        assertTrue(visible(By.id("space-yaml")).getText().contains("hidden_layers: {min: 1, max: 4}"));
        chartDrawn("history-chart");
        chartDrawn("parallel-chart");
        assertTrue(visible(By.id("test-accuracy")).getText().matches("\\d+\\.\\d\\d %"),
                browser.findElement(By.id("test-accuracy")).getText());
        List<WebElement> classes = browser.findElements(By.cssSelector("#class-metrics tbody tr"));
        assertEquals(10, classes.size());
        assertTrue(classes.get(0).getText().startsWith("T-shirt/top"), classes.get(0).getText());
        chartDrawn("confusion-chart");

        // One process trained the run: the workers panel shows it, and every trial names its host and process.
        List<WebElement> workers = visible(By.id("workers")).findElements(By.cssSelector("tbody tr"));
        assertEquals(1, workers.size());
        List<WebElement> cells = workers.get(0).findElements(By.tagName("td"));
        long pid = ProcessHandle.current().pid();
        assertEquals(String.valueOf(pid), cells.get(1).getText());
        assertEquals("4", cells.get(2).getText(), "trials done");
        assertEquals("–", cells.get(3).getText(), "no trial in training");
        assertTrue(cells.get(4).getText().endsWith(" s ago"), cells.get(4).getText());
        for (WebElement host : browser.findElements(By.cssSelector("#trials td[data-col='host']"))) {
            assertEquals(cells.get(0).getText() + " (" + pid + ")", host.getText());
        }
        screenshot("run");
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText().trim();
    }

    @Test
    @Order(3)
    void theRunPageShowsItsDataTheRealTestCountAndTheModelDownload() throws Exception {
        open("/runs/1");
        wait.until(ExpectedConditions.textToBe(By.id("data-type"), "fashion-mnist"));
        assertEquals("2,000", text("data-train"));
        assertEquals("600", text("data-validation"));
        assertEquals("1,000", text("data-test"));
        assertEquals("28x28 grey", text("data-shape"));
        assertFalse(browser.findElement(By.id("data-features")).isDisplayed(), "images have no feature names");
        assertFalse(browser.findElement(By.id("data-pending")).isDisplayed());

        List<WebElement> files = browser.findElements(By.cssSelector("#data-files tbody tr"));
        assertEquals(4, files.size());
        for (WebElement file : files) {
            WebElement hash = file.findElement(By.cssSelector("td.hash"));
            assertTrue(hash.getText().matches("[0-9a-f]{12}"), hash.getText());
            assertTrue(hash.getAttribute("title").matches("[0-9a-f]{64}"), hash.getAttribute("title"));
            assertTrue(hash.getAttribute("title").startsWith(hash.getText()));
            WebElement path = file.findElement(By.cssSelector("td.path"));
            String last = Path.of(path.getAttribute("title")).getFileName().toString();
            assertTrue(path.getText().endsWith(last), path.getText() + " shows the end of " + path.getAttribute("title"));
        }

        List<WebElement> classes = browser.findElements(By.cssSelector("#class-counts tbody tr"));
        assertEquals(10, classes.size());
        assertEquals("10 classes", text("data-classes-summary"));
        assertTrue(classes.get(0).getText().contains("T-shirt/top"), classes.get(0).getText());
        assertTrue(classes.get(9).getText().contains("Ankle boot"), classes.get(9).getText());
        int[] sums = new int[3];
        for (WebElement row : classes) {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            for (int part = 0; part < 3; part++) {
                sums[part] += Integer.parseInt(cells.get(2 + part).getText().replace(",", ""));
            }
        }
        assertEquals(List.of(2000, 600, 1000), List.of(sums[0], sums[1], sums[2]), "per-class counts add up");

        String sentence = visible(By.id("test-source")).getText();
        assertTrue(sentence.contains("evaluated once on the 1,000 test images."), sentence);
        assertFalse(sentence.contains("10,000"), sentence);

        WebElement model = visible(By.id("model-link"));
        assertTrue(model.getAttribute("href").endsWith("/api/runs/1/model"), model.getAttribute("href"));
        assertEquals("./hpsearch predict 1 INPUT", visible(By.id("predict-command")).getText().trim());
        Object status = ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(document.getElementById('model-link').href)"
                        + ".then(r => done(r.status + ' ' + r.headers.get('Content-Type'))).catch(e => done(String(e)));");
        assertEquals("200 application/zip", status);
        screenshot("run-data");
    }

    @Test
    @Order(4)
    void aTrialPageDrawsItsLearningCurves() throws Exception {
        open("/runs/1");
        visible(By.cssSelector("#trials tbody tr a.trial-link")).click();
        wait.until(ExpectedConditions.urlMatches(".*/runs/1/trials/\\d+$"));
        chartDrawn("curves-chart");
        assertEquals("9", browser.findElement(By.id("curves-chart")).getAttribute("data-points"),
                "3 epochs x (train loss, validation loss, validation accuracy)");
        assertTrue(visible(By.id("param-count")).getText().matches("[\\d,]+"));
        assertTrue(browser.findElement(By.id("trial-params")).getText().contains("learning_rate"));
        screenshot("trial");
    }

    @Test
    @Order(5)
    void aRunLaunchedFromTheNewRunPageUpdatesLiveAndCanBeCancelled() throws Exception {
        open("/new");
        WebElement yaml = visible(By.id("space-yaml"));
        wait.until(d -> yaml.getAttribute("value").contains("name: fashion-mlp"));

        setText(yaml, "name: bad\nmodel:\n  type: mlp\n  hidden_layers: 1\n  units: {choice: []}\n"
                + "  learning_rate: 0.01\n");
        browser.findElement(By.id("validate")).click();
        WebElement error = visible(By.cssSelector("#space-errors li"));
        assertEquals("line 5: model.units.choice: must not be empty", error.getText().trim());
        assertEquals(1, browser.findElements(By.cssSelector("#yaml-lines .error-line")).size());
        screenshot("new-run-error");

        // A problem in the data, not the space: the server's one-line message, no line to mark.
        Path junk = Files.createDirectories(Path.of("target/browser-data"));
        Files.writeString(junk.resolve("junk-images.idx"), "not an IDX file");
        Files.writeString(junk.resolve("junk-labels.idx"), "not an IDX file either");
        setText(yaml, """
                name: bad-data
                dataset:
                  type: idx
                  train_images: target/browser-data/junk-images.idx
                  train_labels: target/browser-data/junk-labels.idx
                model: {type: mlp, hidden_layers: 1, units: 4, learning_rate: 0.01}
                """);
        browser.findElement(By.id("validate")).click();
        WebElement dataError = visible(By.cssSelector("#space-errors li"));
        assertTrue(dataError.getText().contains("junk-"), dataError.getText());
        assertFalse(browser.findElement(By.id("error")).isDisplayed(), "explained under the editor, not as a failure");
        assertFalse(browser.findElement(By.id("yaml-lines")).isDisplayed(), "a data error has no line to mark");
        screenshot("new-run-data-error");

        setText(yaml, """
                name: from-the-browser
                max_trials: 100
                training: {epochs: 200, train_limit: 1000}
                model:
                  type: mlp
                  hidden_layers: 1
                  units: {choice: [16, 32, 64, 128]}
                  learning_rate: {min: 0.0005, max: 0.005}
                """);
        // Far more work than the test waits for (CI's fast cores finished a 4-network, 40-epoch run before the
        // click): the run must still be running when the cancel button is pressed.
        browser.findElement(By.id("start-run")).click();
        wait.until(ExpectedConditions.urlMatches(".*/runs/\\d+$"));
        // A marker that a reload would wipe: the first trial must appear without one.
        ((JavascriptExecutor) browser).executeScript("window.hpsearchNoReload = true;");
        visible(By.cssSelector("#trials tbody tr"));
        assertEquals(Boolean.TRUE, ((JavascriptExecutor) browser).executeScript("return window.hpsearchNoReload;"));
        screenshot("run-live");

        visible(By.id("cancel-run")).click();
        wait.until(ExpectedConditions.textToBe(By.id("run-status"), "CANCELLED"));
        assertEquals(Boolean.TRUE, ((JavascriptExecutor) browser).executeScript("return window.hpsearchNoReload;"));
        screenshot("run-cancelled");
    }

    /** Markup a hostile space file, run name or error message could carry: none of it may run or render. */
    private static final List<String> XSS = List.of(
            "<script>document.body.dataset.xss='script'</script>",
            "<img src=x onerror=\"document.body.dataset.xss='img'\">",
            "\"><svg onload=\"document.body.dataset.xss='svg'\">",
            "javascript:document.body.dataset.xss='url'",
            "'); DROP TABLE runs; --");

    @Test
    @Order(6)
    void markupInNamesSpacesAndFailuresIsShownAsTextAndNeverRuns() throws Exception {
        String payload = String.join(" ", XSS);
        String name = XSS.get(1) + " " + XSS.get(4);
        String yaml = "# " + payload + "\nname: '" + name.replace("'", "''") + "'\nsearch: grid\nmodel:\n"
                + "  type: mlp\n  hidden_layers: 1\n  units: 8\n  learning_rate: 0.01\n";
        long runId = SearchRunner.record(store, SpaceParser.parse(yaml, "xss.yaml"), yaml, RunStatus.RUNNING);
        Trial trial = store.startTrial(runId, 1, "{\"hidden_layers\": 1, \"units_1\": 8}", "xss-1");
        store.finishTrial(trial.id(), TrialState.FAILED, null, payload);
        // Two completed trials whose parameter name is hostile: the importance and curve charts draw it as text.
        for (int n = 2; n <= 3; n++) {
            Trial done = store.startTrial(runId, n, "{\"hidden_layers\": 1, \"units_1\": 8, "
                    + new ObjectMapper().writeValueAsString(XSS.get(2)) + ": " + n + "}", "xss-" + n);
            store.recordEpoch(done.id(), new io.hpsearch.store.EpochMetrics(1, 1, 1.0, 1.0, 0.1 * n, 0.1));
            store.completeTrial(done.id(), 0.1 * n, null, 1, 1);
        }
        store.finishRun(runId, RunStatus.FAILED, payload);
        // A data record as a hostile CSV could make it: file path, role, hash, feature and class names.
        String hostilePath = "/data/" + XSS.get(1) + "/" + XSS.get(2);
        store.saveRunData(runId, new ObjectMapper().writeValueAsString(Map.of(
                "type", XSS.get(0),
                "files", List.of(Map.of("role", XSS.get(3), "path", hostilePath, "sha256", XSS.get(2),
                        "skipped", 3, "skipped_entries", List.of(XSS.get(0), XSS.get(1)))),
                "counts", Map.of("train", 3, "validation", 1, "test", 2),
                "class_counts", Map.of("train", List.of(2, 1), "validation", List.of(1, 0), "test", List.of(1, 1)),
                "shape", Map.of("features", 2),
                "features", List.of(XSS.get(0), XSS.get(4)),
                "classes", List.of(XSS.get(1), XSS.get(2)))));

        open("/");
        wait.until(d -> d.findElement(By.id("runs")).getText().contains("DROP TABLE runs"));
        assertInert("the runs list", "&lt;img src=x onerror=");
        open("/runs/" + runId);
        wait.until(d -> d.findElement(By.id("space-yaml")).getText().contains("# <script>"));
        wait.until(d -> d.findElement(By.id("trials")).getText().contains("<img src=x onerror="));
        assertTrue(browser.findElement(By.id("run-message")).getText().contains(XSS.get(2)));
        wait.until(d -> d.findElement(By.id("class-counts")).getText().contains(XSS.get(2)));
        assertEquals(XSS.get(0), text("data-type"));
        assertEquals("2 features", text("data-shape"));
        assertEquals(hostilePath, browser.findElement(By.cssSelector("#data-files td.path")).getAttribute("title"));
        // A folder's entries that were not read (their names are the user's files': hostile too) are said, not run.
        WebElement skipped = browser.findElement(By.cssSelector("#data-files td.path .skipped"));
        assertEquals("3 entries skipped: not images hpsearch reads", skipped.getText());
        assertEquals(XSS.get(0) + "\n" + XSS.get(1) + "\n...", skipped.getAttribute("title"));
        assertTrue(browser.findElement(By.id("feature-list")).getText().contains(XSS.get(4)));
        assertTrue(browser.findElement(By.id("class-counts")).getText().contains(XSS.get(1)));
        chartDrawn("importance-chart");
        chartDrawn("intermediate-chart");
        hover("importance-chart");
        assertInert("the run page", "&lt;script&gt;document.body.dataset.xss");
        screenshot("xss-inert-run");
        open("/runs/" + runId + "/trials/1");
        wait.until(d -> d.findElement(By.id("failure-reason")).getText().contains(XSS.get(3)));
        assertInert("the trial page", "&lt;script&gt;document.body.dataset.xss");
        screenshot("xss-inert");
    }

    /** Moves the mouse over the middle of a chart, so that a tooltip (escaped HTML) is built if one is there. */
    private void hover(String id) {
        new org.openqa.selenium.interactions.Actions(browser).moveToElement(browser.findElement(By.id(id))).perform();
    }

    private Object script(String js) {
        return ((JavascriptExecutor) browser).executeScript(js);
    }

    /** A chart's option, as ECharts holds it, read by a script: {@code expression} over {@code o}. */
    private Object chartOption(String id, String expression) {
        return script("const o = echarts.getInstanceByDom(document.getElementById('" + id + "')).getOption();"
                + " return " + expression + ";");
    }

    @Test
    @Order(7)
    void prunedTrialsShowEverywhereWithTheirCurvesImportanceAndTypedAxes() throws Exception {
        long runId = FakeRuns.write(store, "pruned-run", "val_accuracy", 9, 6, 3);
        open("/runs/" + runId);
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#trials tbody tr"), 9));
        assertEquals("3", text("count-pruned"));

        // The filter lists every trial state: the page's one list matches the enum.
        List<String> options = browser.findElements(By.cssSelector("#status-filter option")).stream()
                .map(o -> o.getAttribute("value")).toList();
        List<String> states = new ArrayList<>(List.of(""));
        for (TrialState state : TrialState.values()) {
            states.add(state.name().toLowerCase(java.util.Locale.ROOT));
        }
        assertEquals(states, options);
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("status-filter"))).selectByValue("pruned");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#trials tbody tr"), 3));
        for (WebElement cell : browser.findElements(By.cssSelector("#trials tbody td[data-col='state']"))) {
            assertEquals("PRUNED", cell.getText().trim());
        }
        // Pruned trials rank below every completed one: the ranking's last three rows.
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("status-filter"))).selectByValue("");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#trials tbody tr"), 9));
        List<String> order = browser.findElements(By.cssSelector("#trials tbody td[data-col='state']")).stream()
                .map(c -> c.getText().trim()).toList();
        assertEquals(List.of("COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED",
                "PRUNED", "PRUNED", "PRUNED"), order);

        chartDrawn("history-chart");
        assertEquals(List.of("val_accuracy:6", "best so far:6", "pruned (last value):3"), chartOption("history-chart",
                "o.series.map(s => s.name + ':' + s.data.length)"));
        assertTrue(chartOption("history-chart", "o.legend[0].data || o.series.map(s => s.name)").toString()
                .contains("pruned"));

        chartDrawn("intermediate-chart");
        assertEquals(42, Integer.parseInt(browser.findElement(By.id("intermediate-chart"))
                .getAttribute("data-points")), "6 completed x 6 epochs + 3 pruned x 2");
        // Every line's last point is a marker: the pruned ones end at epoch 2, the completed ones at 6.
        assertEquals(List.of(2L, 2L, 2L), chartOption("intermediate-chart",
                "o.series.find(s => s.type === 'scatter' && s.name === 'pruned').data.map(d => d[0])"));
        assertEquals(6L, chartOption("intermediate-chart",
                "o.series.find(s => s.type === 'scatter' && s.name === 'completed').data.length"));

        chartDrawn("importance-chart");
        assertTrue(text("importance-note").contains("fANOVA"), text("importance-note"));
        assertTrue(text("importance-note").contains("units_2"), "conditional parameters are named as left out");
        assertEquals("learning_rate", chartOption("importance-chart", "o.yAxis[0].data[0]"));

        // Axes by the space: units' choices (units_2 too, by its base key) as categories, the log learning rate on a
        // log axis, the layer count's range on a value axis.
        chartDrawn("parallel-chart");
        assertEquals(List.of("hidden_layers:value", "units_1:category", "units_2:category", "learning_rate:log",
                "val_accuracy:value"), chartOption("parallel-chart", "o.parallelAxis.map(a => a.name + ':' + a.type)"));
        assertEquals(List.of("512", "256", "128", "64"), chartOption("parallel-chart",
                "o.parallelAxis.find(a => a.name === 'units_1').data"));
        screenshot("run-pruned");

        open("/runs/" + runId + "/trials/3");
        wait.until(ExpectedConditions.textToBe(By.id("trial-state"), "PRUNED"));
        assertTrue(text("failure-reason").startsWith("pruned after epoch 2 by the asha pruner"));
        assertTrue(browser.findElement(By.id("trial-state")).getAttribute("class").contains("status-pruned"));

        open("/");
        WebElement row = visible(By.cssSelector("#runs tbody tr[data-run-id='" + runId + "']"));
        assertTrue(row.getText().contains("6 / 3 / 0 / 9"), row.getText());
    }

    @Test
    @Order(8)
    void twoRunsCompareOnOneChartAndDifferentObjectivesAreRefused() throws Exception {
        long first = FakeRuns.write(store, "compare-a", "val_accuracy", 6, 4, 5);
        long second = FakeRuns.write(store, "compare-b", "val_accuracy", 8, 4, 6);
        long loss = FakeRuns.write(store, "compare-loss", "val_loss", 3, 4, 7);
        open("/");
        WebElement compare = visible(By.id("compare-runs"));
        assertFalse(compare.isEnabled(), "nothing ticked yet");
        visible(By.cssSelector("tr[data-run-id='" + first + "'] input.pick-run")).click();
        assertFalse(compare.isEnabled(), "one run is not a comparison");
        browser.findElement(By.cssSelector("tr[data-run-id='" + second + "'] input.pick-run")).click();
        assertTrue(compare.isEnabled());
        compare.click();
        wait.until(ExpectedConditions.urlMatches(".*/compare\\?runs=" + first + "," + second + "$"));
        chartDrawn("compare-chart");
        assertEquals(2, browser.findElements(By.cssSelector("#compared-runs tbody tr")).size());
        assertEquals(2L, chartOption("compare-chart", "o.series.length"));
        // x is cumulative epochs: 4 per completed trial, 1 per pruned one (pruned after 4 / 3 = 1 epoch).
        assertEquals(4 * 4 + 2 * 1L, ((Number) chartOption("compare-chart",
                "o.series[0].data[o.series[0].data.length - 1][0]")).longValue());
        screenshot("compare");

        open("/compare?runs=" + first + "," + loss);
        WebElement refused = visible(By.id("compare-refused"));
        assertTrue(refused.getText().contains("different objectives"), refused.getText());
        assertFalse(browser.findElement(By.id("comparison")).isDisplayed());
    }

    /** The payload's markup made no elements and its scripts left no mark; the page shows {@code asText}. */
    private void assertInert(String page, String asText) {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        assertEquals(null, js.executeScript("return document.body.dataset.xss || null;"), page + " ran a script");
        assertEquals(0L, js.executeScript("return document.querySelectorAll("
                + "'img[src=\"x\"], svg[onload], [onerror], [onload]').length;"), page + " rendered injected markup");
        assertEquals(0L, js.executeScript("return document.querySelectorAll('a[href^=\"javascript:\"]').length;"),
                page + " made a javascript: link");
        assertTrue(browser.getPageSource().contains(asText), page + " shows the markup as text");
    }

    private void setText(WebElement textarea, String text) {
        ((JavascriptExecutor) browser).executeScript(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", textarea, text);
    }
}
