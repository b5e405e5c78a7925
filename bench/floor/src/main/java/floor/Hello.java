package floor;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** The REST floor: one JSON answer, no database. */
@Path("/hello")
public class Hello {
    @GET
    public Map<String, String> hello() {
        return Map.of("hello", "world");
    }
}
