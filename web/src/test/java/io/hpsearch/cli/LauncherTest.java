package io.hpsearch.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code ./hpsearch} launcher keeps a running hpsearch alive through a rebuild. Maven rewrites
 * web/target/hpsearch.jar in place; a server started from that file then answered 500 with "ZipFile invalid LOC
 * header" for the pages it served after the rebuild. Here the launcher, copied into a scratch checkout, starts a
 * small program from a jar there; the jar is rewritten in place as Maven does, with entries of other sizes; the
 * program must still read its own resource afterwards (run from the jar itself, it read the rebuilt jar's: one
 * process mixing two builds).
 */
class LauncherTest {
    private static final String MAIN = """
            public class Main {
                public static void main(String[] args) throws Exception {
                    System.out.println("ready");
                    new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
                    try (var in = Main.class.getResourceAsStream("/late.txt")) {
                        System.out.println(new String(in.readAllBytes(), "UTF-8"));
                    }
                }
            }
            """;

    @Test
    void aRunningHpsearchStillReadsItsJarAfterARebuildRewritesIt(@TempDir Path checkout) throws Exception {
        Path launcher = checkout.resolve("hpsearch");
        Files.copy(Path.of("../hpsearch"), launcher);
        assertTrue(launcher.toFile().setExecutable(true));
        Files.writeString(checkout.resolve("pom.xml"), "<project/>");
        for (String module : new String[]{"store", "search", "web"}) {
            Files.createDirectories(checkout.resolve(module));
        }
        Path target = Files.createDirectories(checkout.resolve("web/target"));
        byte[] mainClass = compile(checkout.resolve("src-main"));
        Path jar = target.resolve("hpsearch.jar");
        writeJar(jar, mainClass, "x".repeat(10), "the jar the program started from");
        // Newer than every source, so the launcher starts it without building.
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));

        Process p = new ProcessBuilder(launcher.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready", out.readLine());
            // The copy it runs from has the jar's modes: mktemp made it readable by its owner only, and another
            // user of a shared checkout got "Unable to access jarfile".
            try (var copies = Files.list(target)) {
                Path copy = copies.filter(f -> f.getFileName().toString().matches("hpsearch-\\d+\\.jar"))
                        .findFirst().orElseThrow();
                assertEquals(Files.getPosixFilePermissions(jar), Files.getPosixFilePermissions(copy));
            }
            // Maven's rebuild: the same file truncated and written again, its entries moved.
            writeJar(jar, mainClass, "y".repeat(100_000), "the rebuilt jar");
            try (Writer in = new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
                in.write("go\n");
            }
            String line = out.readLine();
            StringBuilder rest = new StringBuilder();
            for (String l; (l = out.readLine()) != null; ) {
                rest.append(l).append('\n');
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals("the jar the program started from", line, "the program's output after the rebuild:\n"
                    + line + "\n" + rest);
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }

    private static byte[] compile(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path source = dir.resolve("Main.java");
        Files.writeString(source, MAIN);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests run on a JDK");
        assertEquals(0, javac.run(null, null, null, "-d", dir.toString(), source.toString()));
        return Files.readAllBytes(dir.resolve("Main.class"));
    }

    /** A runnable jar: a padding entry first, so that a different padding moves every entry after it. */
    private static void writeJar(Path jar, byte[] mainClass, String padding, String late) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Main");
        // Files.newOutputStream truncates the same file (same inode), as Maven's archiver does.
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            put(out, "padding.txt", padding.getBytes(StandardCharsets.UTF_8));
            put(out, "Main.class", mainClass);
            put(out, "late.txt", late.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }
}
