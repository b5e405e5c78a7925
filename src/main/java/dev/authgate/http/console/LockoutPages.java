package dev.authgate.http.console;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestForm;

import dev.authgate.throttle.Lockouts;
import dev.authgate.failure.Failure;

/** The throttle's lockouts that concern a group's tables, and clearing one (a person locked out by others). */
@Path(ConsoleRequest.PATH + "/{group}/lockouts")
@ConsoleEndpoint
@Produces(MediaType.TEXT_HTML)
public class LockoutPages {

    private static final Logger LOG = Logger.getLogger(LockoutPages.class);

    private final ConsoleRequest console;
    private final Lockouts lockouts;

    public LockoutPages(ConsoleRequest console, Lockouts lockouts) {
        this.console = console;
        this.lockouts = lockouts;
    }

    @GET
    @Operation(hidden = true)
    public Response list(@PathParam("group") String group, @QueryParam("notice") String notice) {
        return console.asAdmin(group, admin -> console.html(200, Pages.lockouts(console.frame(admin, "Lockouts",
                "lockouts"), lockouts.list(admin.tables()), "cleared".equals(notice) ? "Cleared." : null)));
    }

    @POST
    @Path("clear")
    @Operation(hidden = true)
    public Response clear(@PathParam("group") String group, @RestForm String key) {
        return console.asAdmin(group, admin -> {
            var kind = lockouts.clear(key, admin.tables())
                    .orElseThrow(() -> Failure.notFound("No such lockout: it may have ended by itself."));
            LOG.infof("console: %s cleared a lockout (%s)", admin.who(), kind.prefix());
            return console.redirect(ConsoleRequest.PATH + "/" + group + "/lockouts?notice=cleared");
        });
    }
}
