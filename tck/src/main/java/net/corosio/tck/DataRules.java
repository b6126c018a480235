package net.corosio.tck;

/** The rules of SPEC.md section 3 data. */
public abstract class DataRules extends RuleGroup {

    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    protected DataRules(TransportKit owner) {
        super(owner);
    }
}
