package io.cqkd.dht.ports;

/**
 * A registered strategy service, as the commands show it.
 *
 * @param name      the {@code strategy} service property
 * @param bundle    symbolic name and version of the bundle that registered it
 * @param bundleId  that bundle's id
 * @param serviceId the service id
 */
public record StrategyInfo(String name, String bundle, long bundleId, long serviceId) {
    @Override
    public String toString() {
        return name + " (bundle " + bundle + " [" + bundleId + "], service " + serviceId + ")";
    }
}
