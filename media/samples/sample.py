def group_scores(rows, keys=("name", "team")):
    totals = {}
    for row in rows:
        key = tuple(row[k] for k in keys)
        totals[key] = totals.get(key, 0) + sum(row["scores"][1:])
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))
