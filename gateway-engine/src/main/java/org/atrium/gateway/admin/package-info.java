/**
 * The admin API on the admin listener ({@code /admin/v1/**} and the reference gateway's
 * {@code /blacklist}): one {@code XxxService} per resource with a short route table, the logic in
 * plain methods the operator CLI also calls when the gateway is stopped, authentication and role
 * checks in {@link org.atrium.gateway.admin.AdminAccess}, error answers in
 * {@link org.atrium.gateway.admin.AdminErrors}, and every change recorded by
 * {@link org.atrium.gateway.admin.AuditTrail}.
 */
package org.atrium.gateway.admin;
