package io.hpsearch.runner;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The versions that produced a run, stored with it so a result can be traced back to its software. */
public record Provenance(String javaVersion, String dl4jVersion, String hpsearchVersion) {

    public static Provenance current() {
        return new Provenance(
                System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                property("/META-INF/maven/org.deeplearning4j/deeplearning4j-nn/pom.properties"),
                property("/io/hpsearch/version.properties"));
    }

    private static String property(String resource) {
        try (InputStream in = Provenance.class.getResourceAsStream(resource)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
