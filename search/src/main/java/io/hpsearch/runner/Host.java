package io.hpsearch.runner;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The name of the machine this process runs on, as the workers panel shows it. */
final class Host {
    private Host() {
    }

    static String name() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown host";
        }
    }
}
