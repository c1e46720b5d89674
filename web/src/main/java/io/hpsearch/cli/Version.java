package io.hpsearch.cli;

import io.hpsearch.runner.Provenance;
import picocli.CommandLine.IVersionProvider;

/** --version: the versions a run records as its provenance. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        Provenance p = Provenance.current();
        return new String[]{"hpsearch " + p.hpsearchVersion(), "DL4J " + p.dl4jVersion(), "Java " + p.javaVersion()};
    }
}
