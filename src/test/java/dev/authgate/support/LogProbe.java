package dev.authgate.support;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

/** Test-only endpoint (not in the packaged application): writes one log line on a worker thread. */
@Path("/test-only/log")
public class LogProbe {

    public static final String MESSAGE = "log probe";
    static final Logger LOG = Logger.getLogger(LogProbe.class);

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(hidden = true)
    public String log() {
        LOG.info(MESSAGE);
        return Thread.currentThread().getName();
    }
}
