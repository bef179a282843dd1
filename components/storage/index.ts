export * from "./object-storage";
export * from "./backup-boxes";
export * from "./passwords";
export * from "./restic-scripts";
export * from "./host-backup";
export * from "./k8s-backup";
export * from "./cell-storage";
