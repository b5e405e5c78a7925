package floor;

import java.util.Map;

import jakarta.persistence.Entity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/** The ORM floor: one entity, and GET /hello counts its rows (one query through Hibernate). */
@Entity
public class Item extends PanacheEntity {
    public String name;

    @Path("/hello")
    public static class Resource {
        @GET
        public Map<String, Long> hello() {
            return Map.of("items", Item.count());
        }
    }
}
