package io.hpsearch.web;

import io.hpsearch.report.Views;
import io.hpsearch.space.SpaceException;
import io.hpsearch.space.SpaceParser;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The dashboard's HTTP server: every route is declared here. */
public final class WebServer {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

    private WebServer() {
    }

    /** A handler that changes state: with a token configured, it runs only for a request that carries it. */
    private static Handler changes(Optional<AccessToken> token, Handler handler) {
        return token.<Handler>map(t -> ctx -> {
            if (!t.acceptedBy(ctx.header("Authorization"))) {
                throw new ApiError(401, "this dashboard accepts changes only with its access token: send the header "
                        + "'Authorization: Bearer TOKEN' with the token 'hpsearch serve' printed when it started");
            }
            handler.handle(ctx);
        }).orElse(handler);
    }

    /**
     * @param token when present, what every request that changes something must carry (see {@link AccessToken})
     */
    public static Javalin create(RunsController runs, Optional<AccessToken> token) {
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.staticFiles.add("/public", Location.CLASSPATH);
            config.staticFiles.enableWebjars();
            // A space file is at most this big; larger bodies are refused with 413 before they are read.
            config.http.maxRequestSize = SpaceParser.MAX_BYTES;
            config.http.prefer405over404 = true;
        });

        // Pages load scripts, styles and data from this server only, so injected markup cannot run.
        app.before(ctx -> {
            ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                    + "base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Referrer-Policy", "no-referrer");
        });

        app.get("/runs/{id}", page("run.html"));
        app.get("/runs/{id}/trials/{number}", page("trial.html"));
        app.get("/new", page("new.html"));
        app.get("/compare", page("compare.html"));

        app.get("/api/runs", runs::runs);
        app.post("/api/runs", changes(token, runs::launch));
        app.get("/api/runs/{id}", runs::run);
        app.post("/api/runs/{id}/cancel", changes(token, runs::cancel));
        app.post("/api/runs/{id}/resume", changes(token, runs::resume));
        app.get("/api/runs/{id}/trials", runs::trials);
        app.get("/api/runs/{id}/trials.csv", runs::trialsCsv);
        app.get("/api/runs/{id}/curves", runs::curves);
        app.get("/api/runs/{id}/importance", runs::importance);
        app.get("/api/compare", runs::compare);
        app.get("/api/runs/{id}/trials/{number}", runs::trial);
        app.get("/api/runs/{id}/model", runs::model);
        app.get("/api/spaces/default", runs::defaultSpace);
        // Checking a space reads its data, and a data error quotes the file (its header, a cell): token holders only.
        app.post("/api/spaces/validate", changes(token, runs::validate));

        app.exception(ApiError.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
        // Data a space names that cannot be used: the same one line the command line prints.
        app.exception(io.hpsearch.data.DataException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        app.exception(SpaceException.class, (e, ctx) -> ctx.status(400).json(new Views.ErrorView(400,
                e.getMessage(), e.source(), e.line() > 0 ? e.line() : null, e.key(), e.problem())));
        app.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(),
                e.getStatus() == 413 ? "the request body is larger than " + SpaceParser.MAX_BYTES / 1024
                        + " KiB, the limit for a space file" : e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, 500, "internal error: " + e);
        });
        app.error(404, ctx -> {
            if (ctx.path().startsWith("/api/") && ctx.result() == null) {
                error(ctx, 404, "no such API endpoint: " + ctx.method() + " " + ctx.path());
            }
        });
        app.error(405, ctx -> {
            if (ctx.path().startsWith("/api/")) {
                error(ctx, 405, ctx.method() + " is not allowed on " + ctx.path());
            }
        });
        return app;
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).json(Views.ErrorView.of(status, message));
    }

    /** Serves one of the pages; the page's script reads the ids from the address. */
    private static io.javalin.http.Handler page(String file) {
        return ctx -> {
            try (InputStream in = WebServer.class.getResourceAsStream("/public/" + file)) {
                if (in == null) {
                    throw new IOException("page " + file + " is missing from this build");
                }
                ctx.html(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        };
    }
}
