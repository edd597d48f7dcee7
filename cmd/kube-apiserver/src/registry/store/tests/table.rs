use super::*;
use api_types::meta::v1::TableColumnDefinition;

#[tokio::test]
async fn tables_carry_the_kinds_columns_and_metadata_only_rows() {
    let cluster = Cluster::start().await;
    let first = create(&cluster.config_maps, config_map("a", json!({"k": "v"}))).await;
    create(&cluster.config_maps, config_map("b", json!({}))).await;
    let listed =
        list(&cluster.config_maps, Some("default"), ListOptions { limit: 1, ..Default::default() })
            .await
            .unwrap();

    let table = cluster
        .config_maps
        .table(listed["items"].as_array().unwrap(), Some(listed["metadata"].clone()))
        .unwrap();
    assert_eq!((table.kind.as_str(), table.api_version.as_str()), ("Table", "meta.k8s.io/v1"));
    assert_eq!(
        table.column_definitions,
        [
            TableColumnDefinition::new("Name", "string", 0),
            TableColumnDefinition::new("Data", "string", 0),
            TableColumnDefinition::new("Age", "string", 0),
        ]
    );
    assert_eq!(
        table.metadata.resource_version,
        listed["metadata"]["resourceVersion"].as_str().unwrap()
    );
    assert_eq!(table.metadata.continue_, listed["metadata"]["continue"].as_str().unwrap());
    assert_eq!(table.metadata.remaining_item_count, Some(1));
    assert_eq!(table.rows.len(), 1);
    assert_eq!(table.rows[0].cells, [json!("a"), json!(1), json!("<test>")]);
    assert_eq!(
        table.rows[0].object,
        json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": first["metadata"]})
    );

    let single = cluster.config_maps.table(std::slice::from_ref(&first), None).unwrap();
    assert_eq!(
        single.metadata.resource_version,
        first["metadata"]["resourceVersion"].as_str().unwrap()
    );
    assert!(single.metadata.continue_.is_empty());

    let status = cluster.config_maps.table(&[json!({"data": 3})], None).unwrap_err();
    assert_eq!((status.code, status.reason.as_str()), (500, "InternalError"));
}
